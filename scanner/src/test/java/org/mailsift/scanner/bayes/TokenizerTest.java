package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.MessageParser;

class TokenizerTest {
    private final Tokenizer tokenizer = new Tokenizer(TokenizerSettings.defaults());

    private MessageTokens tokens(String raw) {
        return tokenizer.tokenize(MessageParser.parse(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static final String PLAIN = """
            From: a@example.test
            Subject: quarterly numbers
            Content-Type: text/plain

            The quarterly numbers are attached, please review them before Friday.
            """;

    private static final String ALTERNATIVE = """
            From: a@example.test
            Subject: quarterly numbers
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain

            The quarterly numbers are attached, please review them before Friday.
            --b
            Content-Type: text/html

            <html><body><p>The quarterly numbers are attached, please review them before Friday.</p></body></html>
            --b--
            """;

    @Test
    void aPlainAndHtmlAlternativeSayingTheSameThingCountsOnce() {
        assertThat(tokens(ALTERNATIVE).content()).containsExactly(tokens(PLAIN).content());
    }

    @Test
    void subjectWordsLiveInTheirOwnTokenSpace() {
        MessageTokens inSubject = tokens("From: a@example.test\nSubject: lottery\n\nhello friend\n");
        MessageTokens inBody = tokens("From: a@example.test\nSubject: greetings\n\nlottery\n");
        java.util.Set<Long> body = new java.util.HashSet<>(java.util.Arrays.stream(inBody.content()).boxed().toList());
        assertThat(java.util.Arrays.stream(inSubject.content()).boxed().toList()).doesNotContainAnyElementsOf(body);
    }

    @Test
    void theSameTextSentToSomeoneElseHasTheSameDigest() {
        MessageTokens toAlice = tokens("To: alice@example.test\nMessage-ID: <1@x>\nSubject: hi\n\nsame words here\n");
        MessageTokens toBob = tokens("To: bob@example.test\nMessage-ID: <2@y>\nSubject: hi\n\nsame words here\n");
        assertThat(toAlice.digest()).isEqualTo(toBob.digest());
        assertThat(toAlice.tokens()).isNotEqualTo(toBob.tokens()); // the metatokens still tell them apart
    }

    @Test
    void urlsBecomeRegistrableDomainMetatokens() {
        assertThat(Domains.registrable(Domains.hostOf("http://www.shop.example.co.uk/x?y"))).isEqualTo("example.co.uk");
        assertThat(Domains.registrable(Domains.hostOf("https://click.mailer.example.com/track"))).isEqualTo("example.com");
        assertThat(Domains.registrable(Domains.hostOf("http://192.0.2.7/login"))).isEqualTo("ip");
        MessageTokens a = tokens("Subject: x\n\nvisit http://a.example.com/offer now\n");
        MessageTokens b = tokens("Subject: x\n\nvisit http://b.example.com/offer now\n");
        assertThat(a.content()).isNotEqualTo(b.content());
    }

    @Test
    void tokensAreDistinctAndSorted() {
        long[] t = tokens(PLAIN).tokens();
        assertThat(t).isSorted().doesNotHaveDuplicates();
        assertThat(t.length).isGreaterThan(20);
    }

    private static boolean shareAToken(MessageTokens a, MessageTokens b) {
        java.util.Set<Long> bs = new java.util.HashSet<>(java.util.Arrays.stream(b.tokens()).boxed().toList());
        return java.util.Arrays.stream(a.tokens()).anyMatch(bs::contains);
    }

    private MessageTokens metaOnly(String raw) {
        MessageTokens t = tokens(raw);
        java.util.Set<Long> content = new java.util.HashSet<>(java.util.Arrays.stream(t.content()).boxed().toList());
        long[] meta = java.util.Arrays.stream(t.tokens()).filter(x -> !content.contains(x)).toArray();
        return new MessageTokens(meta, new long[0]);
    }

    @Test
    void relaysFromTheSameNetworkShareAReceivedToken() {
        String body = "\n\nhello\n";
        MessageTokens a = metaOnly("Received: from x.test (HELO a) [203.0.113.7] by mx.example.org\nSubject: s" + body);
        MessageTokens b = metaOnly("Received: from y.test (HELO b) [203.0.113.99] by mx.example.org\nSubject: s" + body);
        MessageTokens c = metaOnly("Received: from y.test (HELO b) [198.51.100.99] by mx.example.org\nSubject: s" + body);
        long[] ab = java.util.Arrays.stream(a.tokens()).filter(t -> java.util.Arrays.binarySearch(b.tokens(), t) >= 0).toArray();
        long[] ac = java.util.Arrays.stream(a.tokens()).filter(t -> java.util.Arrays.binarySearch(c.tokens(), t) >= 0).toArray();
        assertThat(ab.length).isGreaterThan(ac.length); // the /24 and /16 prefixes
    }

    @Test
    void urlPathWordsTellTwoLinksToOneSiteApart() {
        MessageTokens a = metaOnly("Subject: x\n\nsee http://shop.example.com/cheap/pills now\n");
        MessageTokens b = metaOnly("Subject: x\n\nsee http://shop.example.com/release/notes now\n");
        assertThat(shareAToken(a, b)).isTrue(); // the registrable domain and the host
        assertThat(a.tokens()).isNotEqualTo(b.tokens());
    }

    @Test
    void anOverlongWordStillLeavesASkipToken() {
        String longRun = "x".repeat(45);
        MessageTokens withRun = tokens("Subject: s\n\nhello " + longRun + "\n");
        MessageTokens without = tokens("Subject: s\n\nhello\n");
        assertThat(withRun.content().length).isGreaterThan(without.content().length);
        MessageTokens otherRunSameBand = tokens("Subject: s\n\nhello " + "x".repeat(47) + "\n");
        assertThat(otherRunSameBand.content()).containsExactly(withRun.content());
    }
}
