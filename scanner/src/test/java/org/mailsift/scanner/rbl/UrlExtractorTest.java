package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParseLimits;

class UrlExtractorTest {
    private static MessageUrls extract(String contentType, String body) {
        String msg = "From: a@b.example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType
                + "; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n";
        return new UrlExtractor(2000, 50).extract(new MessageParser(ParseLimits.DEFAULT).parseMessage(msg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> domains(MessageUrls u) {
        return u.hosts().stream().map(h -> h.ip() ? h.host() : h.registrable()).toList();
    }

    @Test
    void htmlLinksImagesAndFormsGiveRegistrableDomains() {
        MessageUrls u = extract("text/html", """
                <a HREF = 'https://Shop.Example.CO.UK/x?y=1'>a</a> <img src=http://cdn.images.example.net/p.gif>
                <form action="//login.example.org/post"></form> <a href="mailto:Sales@Example.com?subject=x">m</a>
                <a href="javascript:void(0)">j</a> <a href="/relative">r</a> <a href="cid:part1">c</a>""");
        assertThat(domains(u)).containsExactlyInAnyOrder("example.co.uk", "example.net", "example.org");
        assertThat(u.emails()).containsExactly("sales@example.com");
    }

    @Test
    void encodedAndInternationalHostsAreNormalized() {
        MessageUrls u = extract("text/html", """
                <a href="http://&#119;&#119;&#119;&period;evil-entity&#46;com/">e</a>
                <a href="http://www.evil%2Dpercent%2ecom/">p</a>
                <a href="http://bücher.de/">idn</a> <a href="http://xn--80ak6aa92e.com/">puny</a>
                <a href="http://3232235777/">decimal ip</a> <a href="http://user:pw@[2001:db8::1]:8080/">v6</a>""");
        assertThat(domains(u)).contains("evil-entity.com", "evil-percent.com", "xn--bcher-kva.de", "xn--80ak6aa92e.com",
                "192.168.1.1", "2001:db8:0:0:0:0:0:1");
    }

    @Test
    void textLinksBareDomainsAndObfuscation() {
        MessageUrls u = extract("text/plain", """
                Visit www.bare-www.com today, or shop.bare-path.net/offer, or hxxp://obfuscated[.]org/x
                or evil(.)info/y. Write to info@contact.example.com. Not hosts: report.zip, v1.2.3, 3.14,
                file.txt, e.g. and ... and readme.md""");
        assertThat(domains(u)).containsExactlyInAnyOrder("bare-www.com", "bare-path.net", "obfuscated.org", "evil.info");
        assertThat(u.emails()).containsExactly("info@contact.example.com");
        assertThat(u.obfuscated()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMessageWhoseEveryUrlIsMalformedGivesNoHostsAndCountsThem() {
        MessageUrls u = extract("text/html", """
                <a href="http://">1</a> <a href="http://.../">2</a> <a href="https://[::zz]/">3</a>
                <a href="http://a..b.com/">4</a> <a href="http://-/">5</a> <a href="http://%zz%/">6</a>
                <a href="http://localhost/">7</a> <a href="http://%00%ff/">8</a> <a href='http://""" + "x".repeat(300) + """
                .com/'>9</a> <a href="http://exa mple.com/">10</a>""");
        assertThat(u.hosts()).isEmpty();
        assertThat(u.malformed()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theMostLinkedDomainsAreKeptWhenThereAreTooMany() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("<a href=\"http://filler").append(i).append(".com/\">f</a>\n");
        }
        for (int i = 0; i < 5; i++) {
            body.append("<a href=\"http://www.the-real-one.com/").append(i).append("\">r</a>\n");
        }
        MessageUrls u = new UrlExtractor(2000, 10).extract(new MessageParser(ParseLimits.DEFAULT).parseMessage(
                ("Content-Type: text/html\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(domains(u)).hasSize(10).first().isEqualTo("the-real-one.com");
        assertThat(u.distinctDomains()).isEqualTo(101);
    }

    @Test
    void aReaderWithASmallerBoundSeesWhatItsOwnBoundFindsWhenTheSharedSearchWasCut() {
        // two HTML parts of 150 relative links, then 2,500 absolute ones, then a link in a text part: a reader bound
        // to 100 stops reading each HTML part at its 100th value (all relative) and goes on to the text; a reader
        // bound to 2,000 reads 1,850 absolute links of the first part and spends its bound in the second
        StringBuilder html = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            html.append("<a href=\"/rel").append(i).append("\">r</a>\n");
        }
        for (int i = 0; i < 2500; i++) {
            html.append("<a href=\"http://h").append(i % 40).append(".filler.com/\">f</a>\n");
        }
        String htmlPart = "\r\n--b\r\nContent-Type: text/html\r\n\r\n" + html;
        String msg = "Content-Type: multipart/mixed; boundary=b\r\n" + htmlPart + htmlPart
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee https://www.the-real-one.com/x\r\n--b--\r\n";
        var m = new MessageParser(ParseLimits.DEFAULT).parseMessage(msg.getBytes(StandardCharsets.UTF_8));
        assertThat(domains(new UrlExtractor(2000, 50).extract(m))).containsExactly("filler.com");
        MessageUrls small = new UrlExtractor(100, 50).extract(m);
        assertThat(domains(small)).containsExactly("the-real-one.com");
        assertThat(small.seen()).isEqualTo(1);
    }
}
