package org.mailsift.scanner.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RawMessageTest {
    private static RawMessage parse(String s) {
        return RawMessage.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String body(RawMessage m) {
        return new String(m.body(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void mixedLineEndingsSplitAtTheFirstEmptyLineAndBecomeCrlf() {
        RawMessage m = parse("From: a@example.com\nSubject: x\r\n\tfolded\n\r\nline one\nline two\r\n");
        assertThat(m.fields()).extracting(RawMessage.Field::name).containsExactly("From", "Subject");
        assertThat(m.fields("subject").get(0).text()).isEqualTo("Subject: x\r\n\tfolded");
        assertThat(body(m)).isEqualTo("line one\r\nline two\r\n");
    }

    @Test
    void aMessageWithoutBodyOrWithoutHeaderStillParses() {
        assertThat(body(parse("Subject: x\n"))).isEmpty();
        assertThat(parse("Subject: x\n").fields()).hasSize(1);
        RawMessage noHeader = parse("\nbody\n");
        assertThat(noHeader.fields()).isEmpty();
        assertThat(body(noHeader)).isEqualTo("body\r\n");
    }

    @Test
    void anMboxSeparatorIsNoField() {
        RawMessage m = parse("From someone Mon Jan  1 00:00:00 2024\nDKIM-Signature: v=1\n\nx\n");
        assertThat(m.fields()).extracting(RawMessage.Field::name).containsExactly("DKIM-Signature");
    }

    @Test
    void askingForAnAbsentNameFindsNothingAndAFoldedMentionIsNoField() {
        RawMessage m = parse("Subject: hi\n dkim-signature: not a field\nX-Arc-Seal: no\n\nbody\n");
        assertThat(m.fields("DKIM-Signature")).isEmpty();
        assertThat(m.fields("ARC-Seal")).isEmpty();
        assertThat(m.fields("x-arc-seal")).hasSize(1);
        assertThat(parse("dKiM-SiGnAtUrE : v=1\n\n").fields("DKIM-Signature")).hasSize(1);
    }

    /** Canonicalizing the body as received (bare LF or CRLF) gives the bytes its CRLF copy gives, for any mix. */
    @Test
    void theBodyCanonicalizedAsReceivedEqualsItsCrlfCopyCanonicalized() {
        java.util.Random random = new java.util.Random(12);
        byte[] alphabet = {'a', 'b', ' ', '\t', '\r', '\n', '\n'};
        for (int n = 0; n < 20_000; n++) {
            byte[] raw = new byte[random.nextInt(40)];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = raw.length == 0 ? 0 : random.nextInt(raw.length);
            for (org.mailsift.scanner.auth.dkim.Canonicalization c : org.mailsift.scanner.auth.dkim.Canonicalization.values()) {
                assertThat(c.body(raw, from)).as("%s of %s from %d", c, java.util.Arrays.toString(raw), from)
                        .isEqualTo(c.body(RawMessage.crlf(raw, from)));
            }
        }
    }
}
