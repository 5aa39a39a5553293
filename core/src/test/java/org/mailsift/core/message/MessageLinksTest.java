package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageLinksTest {
    private static ParsedMessage message(String contentType, String body) {
        String msg = "From: a@b.example.com\r\nSubject: s\r\nContent-Type: " + contentType + "; charset=utf-8\r\n\r\n"
                + body.replace("\n", "\r\n") + "\r\n";
        return MessageParser.parse(msg.getBytes(StandardCharsets.UTF_8));
    }

    private static Link link(ParsedMessage m, String url) {
        return m.links().all().stream().filter(l -> l.url().equals(url)).findFirst().orElseThrow();
    }

    @Test
    void eachLinkSaysWhereItWasFound() {
        ParsedMessage m = message("text/html", """
                <a href="https://shop.example.co.uk/x">buy</a> <img src="http://192.0.2.7/p.gif">
                <form action="//login.example.org/post"></form> <a href="mailto:Sales@Example.com">m</a>
                <p>or www.bare-www.com, hxxp://hidden[.]net/y and write to info@contact.example.com</p>""");
        Link anchor = link(m, "https://shop.example.co.uk/x");
        assertThat(anchor.flags()).isEqualTo(Link.ANCHOR | Link.ATTRIBUTE);
        assertThat(anchor.host()).isEqualTo("shop.example.co.uk");
        assertThat(anchor.registrable()).isEqualTo("example.co.uk");
        assertThat(link(m, "http://192.0.2.7/p.gif").flags()).isEqualTo(Link.ATTRIBUTE | Link.IMAGE | Link.NUMERIC);
        assertThat(link(m, "//login.example.org/post").flags()).isEqualTo(Link.ATTRIBUTE);
        assertThat(link(m, "sales@example.com").flags()).isEqualTo(Link.ATTRIBUTE | Link.EMAIL);
        assertThat(link(m, "www.bare-www.com").flags()).isEqualTo(Link.SCHEMALESS);
        Link hidden = link(m, "http://hidden.net/y");
        assertThat(hidden.flags()).isEqualTo(Link.WORD | Link.OBSCURED);
        assertThat(hidden.registrable()).isEqualTo("hidden.net");
        assertThat(link(m, "info@contact.example.com").flags()).isEqualTo(Link.EMAIL);
        assertThat(m.links().obfuscations()).isEqualTo(2);
    }

    @Test
    void theParsersListIsTheDisplayedLinksAndTheFinderTheFoundOnesOfTheOneSet() {
        ParsedMessage m = message("text/html", """
                <a href="http://a.example.com/">a</a> <area href='https://b.example.net/'> <img src="http://c.example.org/">
                <p>text http://d.example.com/page, mailto:x@e.example.com and f.example.info/offer</p>""");
        assertThat(m.urls()).containsExactly("http://a.example.com/", "https://b.example.net/", "http://d.example.com/page");
        List<Link> all = m.links().all();
        assertThat(all.stream().filter(l -> l.has(Link.DISPLAYED)).map(Link::url).toList()).isEqualTo(m.urls());
        assertThat(all.stream().filter(l -> l.has(Link.FOUND)).toList())
                .isEqualTo(m.links().found(MessageLinks.DEFAULT_CANDIDATES).stream().map(l -> all.stream()
                        .filter(a -> a.url().equals(l.url()) && a.has(Link.FOUND)).findFirst().orElseThrow()).toList());
        assertThat(link(m, "http://d.example.com/page").flags()).isEqualTo(Link.TEXT | Link.WORD);
        assertThat(link(m, "f.example.info").flags()).isEqualTo(Link.SCHEMALESS);
    }

    @Test
    void aPlainMessageWithoutLinksHasNone() {
        ParsedMessage m = message("text/plain", "Hello, see you at 10.30 on the 3.12.");
        assertThat(m.urls()).isEmpty();
        assertThat(m.links().all()).isEmpty();
    }
}
