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
}
