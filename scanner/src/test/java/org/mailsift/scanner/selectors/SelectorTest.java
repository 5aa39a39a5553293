package org.mailsift.scanner.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.SymbolResult;

class SelectorTest {
    private static final String MESSAGE = """
            Received: from mail.example.org (mail.example.org [192.0.2.10])
            \tby mx.example.net (Postfix) with ESMTPS id 4ABC for <bob@example.net>; Thu, 03 Dec 2026 12:00:00 +0000
            From: "Alice Sender" <Alice@Example.ORG>
            To: Bob <bob@example.net>, carol@sub.example.co.uk
            Cc: dave@example.com
            Subject: Cheap Pills
            Message-ID: <abc123@example.org>
            Date: Thu, 03 Dec 2026 12:00:00 +0000
            X-SG-EID: 4711
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain

            Visit http://www.shop.example.co.uk/buy?x=1 and https://evil.test.com/path or mail sales@pills.example.com
            --b1
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename="invoice.zip"
            Content-Transfer-Encoding: base64

            UEsDBAoAAAAAAA==
            --b1--
            """.replace("\n", "\r\n");

    private static final Envelope ENVELOPE = Envelope.builder().clientIp("192.0.2.10").helo("mail.example.org")
            .clientHostname("mail.example.org").mailFrom("bounce+1234-x@Example.ORG").addRcpt("bob@example.net")
            .addRcpt("Postmaster@example.net").authUser("alice").queueId("4ABC").build();

    private final ParsedMessage message = new MessageParser(ParseLimits.DEFAULT)
            .parseMessage(MESSAGE.getBytes(StandardCharsets.UTF_8));

    private List<String> eval(String selector) {
        return Selector.parse(selector).combine(SelectorInput.of(message, ENVELOPE), "");
    }

    @Test
    void envelopeExtractorsGiveTheSmtpValues() {
        assertThat(eval("ip")).containsExactly("192.0.2.10");
        assertThat(eval("user")).containsExactly("alice");
        assertThat(eval("helo")).containsExactly("mail.example.org");
        assertThat(eval("hostname")).containsExactly("mail.example.org");
        assertThat(eval("queueid")).containsExactly("4ABC");
        assertThat(eval("to")).containsExactly("bob@example.net");
        assertThat(eval("authenticated")).containsExactly("true");
    }

    @Test
    void fromAndRcptsChooseSmtpOrMimeAndReadAddressFields() {
        assertThat(eval("from")).containsExactly("bounce+1234-x@Example.ORG");
        assertThat(eval("from('smtp'):domain")).containsExactly("example.org");
        assertThat(eval("from('mime'):addr")).containsExactly("Alice@Example.ORG");
        assertThat(eval("from('mime'):name")).containsExactly("Alice Sender");
        assertThat(eval("from('mime').addr.lower")).containsExactly("alice@example.org");
        assertThat(eval("from('mime'):user")).containsExactly("Alice");
        assertThat(eval("rcpts:addr")).containsExactly("bob@example.net", "Postmaster@example.net");
        assertThat(eval("rcpts('mime'):domain")).containsExactly("example.net", "sub.example.co.uk", "example.com");
        assertThat(eval("rcpts('mime'):domain.get_tld")).containsExactly("example.net", "example.co.uk",
                "example.com");
        assertThat(eval("rcpts('smtp'):addr.lower.first")).containsExactly("bob@example.net");
        assertThat(eval("rcpts('smtp'):addr.lower.last")).containsExactly("postmaster@example.net");
    }

    @Test
    void headerAndMessageExtractors() {
        assertThat(eval("header('Subject')")).containsExactly("Cheap Pills");
        assertThat(eval("header(Subject).lower")).containsExactly("cheap pills");
        assertThat(eval("subject.upper")).containsExactly("CHEAP PILLS");
        assertThat(eval("messageid")).containsExactly("abc123@example.org");
        assertThat(eval("header('subject', 'strong')")).isEmpty();
        assertThat(eval("header('To', 'full')")).containsExactly("Bob <bob@example.net>, carol@sub.example.co.uk");
        assertThat(eval("files")).containsExactly("invoice.zip");
        assertThat(eval("attachments('hex', 'md5')"))
                .containsExactly(md5Hex(java.util.Base64.getDecoder().decode("UEsDBAoAAAAAAA==")));
        assertThat(eval("attachments")).singleElement().satisfies(d -> assertThat(d).hasSize(128));
        assertThat(eval("time('message')")).containsExactly(
                Long.toString(Instant.parse("2026-12-03T12:00:00Z").getEpochSecond()));
        assertThat(eval("time('message', '!%Y-%m-%d %H:%M')")).containsExactly("2026-12-03 12:00");
        assertThat(eval("received('by_hostname')")).containsExactly("mx.example.net");
        assertThat(eval("received('real_ip')")).containsExactly("192.0.2.10");
        assertThat(eval("received:proto")).containsExactly("esmtps");
        assertThat(eval("digest")).singleElement().satisfies(d -> assertThat(d).hasSize(32));
    }

    @Test
    void selectorOnAMissingHeaderGivesNothingAndTheWholeCombinationWithIt() {
        assertThat(eval("header('X-Missing')")).isEmpty();
        assertThat(eval("header('X-Missing').lower.digest")).isEmpty();
        assertThat(eval("user;header('X-Missing')")).isEmpty();
        ParsedMessage bare = new MessageParser(ParseLimits.DEFAULT).parseMessage("\r\n".getBytes());
        assertThat(Selector.parse("from('mime'):addr;subject;messageid;received;files;urls;attachments;time")
                .combine(SelectorInput.of(bare, Envelope.EMPTY), "")).isEmpty();
        assertThat(Selector.parse("ip").combine(SelectorInput.of(bare, Envelope.EMPTY), "")).isEmpty();
    }

    @Test
    void urlsAndEmailsAreObjectsWithMethods() {
        assertThat(eval("urls:get_host")).contains("www.shop.example.co.uk", "evil.test.com");
        assertThat(eval("urls:get_tld")).contains("example.co.uk", "test.com");
        assertThat(eval("urls('get_tld').uniq")).contains("example.co.uk", "test.com");
        assertThat(eval("urls.get_host.take_n(1)")).containsExactly("www.shop.example.co.uk");
        assertThat(eval("emails:get_host")).containsExactly("pills.example.com");
        assertThat(eval("emails('get_user')")).containsExactly("sales");
    }

    @Test
    void transformsFollowRspamd() {
        assertThat(eval("ip.ipmask(24)")).containsExactly("192.0.2.0");
        assertThat(eval("ip.ipmask(16, 64)")).containsExactly("192.0.0.0");
        assertThat(eval("header('Subject').lower.digest('hex').substring(1, 16)")).singleElement()
                .satisfies(s -> assertThat(s).hasSize(16).matches("[0-9a-f]+"));
        assertThat(eval("header('Subject').substring(-5)")).containsExactly("Pills");
        assertThat(eval("header('Subject').substring(1, 5)")).containsExactly("Cheap");
        assertThat(eval("rcpts:addr.join(',')")).containsExactly("bob@example.net,Postmaster@example.net");
        assertThat(eval("rcpts:domain.uniq.join")).containsExactly("example.net");
        assertThat(eval("rcpts:addr.nth(2)")).containsExactly("Postmaster@example.net");
        assertThat(eval("rcpts:addr.drop_n(1)")).containsExactly("Postmaster@example.net");
        assertThat(eval("rcpts:user.lower.in('postmaster', 'mailer-daemon')")).containsExactly("postmaster");
        assertThat(eval("rcpts:user.lower.not_in({postmaster, mailer-daemon})")).containsExactly("bob");
        assertThat(eval("user.in('bob')")).isEmpty();
        assertThat(eval("user.equal('alice')")).containsExactly("alice");
        assertThat(eval("header('Subject').append('!', '!').prepend('[')")).containsExactly("[Cheap Pills!!");
        assertThat(eval("id('x').encode('base64')")).containsExactly("eA==");
        assertThat(eval("list('b', 'a', 'b').sort")).containsExactly("a", "b", "b");
        assertThat(eval("id")).containsExactly("");
        assertThat(eval("id('x')")).containsExactly("x");
        assertThat(eval("header('Subject').id('fixed')")).containsExactly("fixed");
        assertThat(eval("id('Grüße').to_ascii")).containsExactly("Gr????e");
    }

    @Test
    void regexpGivesMatchesAndGroupsFlattened() {
        assertThat(eval("from('smtp').regexp(\"/^<?bounce\\+(\\d+)\\-[^@]+@/i\").last")).containsExactly("1234");
        assertThat(eval("header('X-SG-EID').id;from('smtp').regexp(\"/^<?bounce\\+(\\d+)\\-[^@]+@/i\").last"))
                .containsExactly("1234");
        assertThat(eval("subject.regexp('/pill/i')")).containsExactly("Pill");
        assertThat(eval("subject.regexp('/viagra/i')")).isEmpty();
    }

    @Test
    void severalSelectorsAreConcatenatedOrZipped() {
        assertThat(eval("id('rl_');user;ip.ipmask(24)")).containsExactly("rl_alice192.0.2.0");
        assertThat(Selector.parse("user;ip").combine(SelectorInput.of(message, ENVELOPE), ":"))
                .containsExactly("alice:192.0.2.10");
        assertThat(eval("id('to:');rcpts:addr.lower")).containsExactly("to:bob@example.net",
                "to:postmaster@example.net");
        assertThat(Selector.parse("user;rcpts:addr").flatten(SelectorInput.of(message, ENVELOPE)))
                .containsExactly("alice", "bob@example.net", "Postmaster@example.net");
        assertThat(Selector.parse("user * ip").size()).isEqualTo(2);
    }

    @Test
    void symbolExtractorReadsTheScanResultAfterScoring() {
        SelectorInput in = SelectorInput.of(message, ENVELOPE, name -> name.equals("BAYES_SPAM")
                ? Optional.of(new SymbolResult("BAYES_SPAM", 5.1, 5.1, "", List.of("99%"))) : Optional.empty(),
                Instant.EPOCH);
        assertThat(Selector.parse("symbol('BAYES_SPAM')").combine(in, "")).containsExactly("BAYES_SPAM");
        assertThat(Selector.parse("symbol('BAYES_SPAM'):score").combine(in, "")).containsExactly("5.1");
        assertThat(Selector.parse("symbol('BAYES_HAM')").combine(in, "")).isEmpty();
        assertThat(Selector.parse("time('connect')").combine(in, "")).containsExactly("0");
    }

    @Test
    void parseErrorsNameThePosition() {
        assertThatThrownBy(() -> Selector.parse("from('smtp'):addr.lowr"))
                .isInstanceOf(SelectorException.class)
                .hasMessageContaining("at position 19").hasMessageContaining("unknown transform 'lowr'");
        assertThatThrownBy(() -> Selector.parse("user;frm"))
                .hasMessageContaining("at position 6").hasMessageContaining("unknown extractor 'frm'");
        assertThatThrownBy(() -> Selector.parse("header('Subject"))
                .hasMessageContaining("at position 8").hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Selector.parse("header('Subject').lower)"))
                .hasMessageContaining("at position 24");
        assertThatThrownBy(() -> Selector.parse("header")).hasMessageContaining("header takes the header name");
        assertThatThrownBy(() -> Selector.parse("ip.ipmask(x)")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> Selector.parse("subject.regexp('/(a/')")).hasMessageContaining("regexp");
        assertThatThrownBy(() -> Selector.parse("country")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> Selector.parse("urls('get_nothing')")).hasMessageContaining("get_nothing");
        assertThatThrownBy(() -> Selector.parse("")).hasMessageContaining("empty selector");
        assertThatThrownBy(() -> Selector.parse("user;")).hasMessageContaining("at position 6");
    }

    @Test
    void rspamdDigestsAndBase32MatchRspamd() {
        assertThat(Digests.zbase32(new byte[]{0, 1, 2, 3, 4, (byte) 0xff})).isEqualTo("yeyroboy98");
        assertThat(Digests.encode(Digests.hash(new byte[0], "md5"), "hex"))
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Digests.base32("f".getBytes(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")).isEqualTo("MY");
    }

    private static String md5Hex(byte[] data) {
        return Digests.encode(Digests.hash(data, "md5"), "hex");
    }
}
