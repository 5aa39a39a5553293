package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Whatever a sender puts in a message, the parser returns quickly with the damage recorded. */
class BadInputTest {
    private static final Duration QUICK = Duration.ofSeconds(5);

    private static ParsedMessage parse(byte[] raw) {
        return assertTimeoutPreemptively(QUICK, () -> MessageParser.parse(raw));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void truncatedMultipartStillYieldsItsParts() {
        ParsedMessage m = parse(ascii("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                + "first\n--b\nContent-Type: text/html\n\n<p>cut off mid-"));
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("first", "cut off mid-");
        assertThat(m.damage()).contains("truncated multipart");
    }

    @Test
    void missingBoundaryIsReadAsText() {
        ParsedMessage m = parse(ascii("Content-Type: multipart/mixed; boundary=nowhere\n\nplain words\n"));
        assertThat(m.damage()).contains("missing boundary");
        ParsedMessage noParam = parse(ascii("Content-Type: multipart/mixed\n\nplain words\n"));
        assertThat(noParam.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("plain words\n");
        assertThat(noParam.parts().get(0).broken()).isTrue();
    }

    @Test
    void tenThousandNestedPartsHitTheDepthLimit() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        sb.append("Content-Type: text/plain\n\ndeep\n");
        ParsedMessage m = parse(ascii(sb.toString()));
        assertThat(m.damage()).contains("depth limit");
        assertThat(m.parts().size()).isLessThanOrEqualTo(ParseLimits.DEFAULT.maxParts());
    }

    @Test
    void tenThousandSiblingPartsHitThePartLimit() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append("--b\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        sb.append("--b--\n");
        ParsedMessage m = parse(ascii(sb.toString()));
        assertThat(m.damage()).contains("too many parts");
        assertThat(m.parts()).hasSizeLessThanOrEqualTo(ParseLimits.DEFAULT.maxParts());
    }

    @Test
    void fiftyMegabyteAttachmentIsMeasuredNotStored() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(70 << 20);
        out.writeBytes(ascii("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: application/zip; name=big.zip\nContent-Transfer-Encoding: base64\n\n"));
        byte[] line = new byte[77];
        Arrays.fill(line, (byte) 'A');
        line[76] = '\n';
        for (int i = 0; i < (50 << 20) / 57; i++) {
            out.writeBytes(line);
        }
        out.writeBytes(ascii("--b--\n"));
        ParsedMessage m = parse(out.toByteArray());
        assertThat(m.attachments()).singleElement().satisfies(a -> assertThat(a.size()).isGreaterThan(49L << 20));
    }

    @Test
    void nulBytesAndInvalidCharsetsAreTolerated() {
        ParsedMessage m = parse(ascii("Subject: a\0b\nContent-Type: text/plain; charset=\"\u00ff\u00fe\"\n\nnul\0inside\n"));
        assertThat(m.subject()).contains("a b");
        assertThat(m.textParts().get(0).text()).isEqualTo("nul inside\n");
        assertThat(m.damage()).contains("nul bytes", "unknown charset");
    }

    @Test
    void twoHundredKilobyteHeaderLineIsCut() {
        byte[] raw = ascii("Subject: " + "x".repeat(200 * 1024) + "\nTo: " + "y, ".repeat(70_000) + "\n\nbody\n");
        ParsedMessage m = parse(raw);
        assertThat(m.subject().orElseThrow().length()).isLessThanOrEqualTo(ParseLimits.DEFAULT.maxHeaderLine());
        assertThat(m.damage()).contains("long header line");
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("body\n");
    }

    @Test
    void base64GarbageDecodesWhatItCan() {
        ParsedMessage m = parse(ascii("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
                + "SGVsbG8*&^%$ #@!gd29y===bGQ=\n!!!!\n"));
        assertThat(m.textParts()).hasSize(1);
        assertThat(m.damage()).contains("bad base64");
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] raw = new byte[random.nextInt(4000)];
            random.nextBytes(raw);
            if (i % 3 == 0) {
                byte[] prefix = ascii("Content-Type: multipart/mixed; boundary=\"=\"\n\n--=\n");
                System.arraycopy(prefix, 0, raw, 0, Math.min(prefix.length, raw.length));
            }
            assertThat(parse(raw)).isNotNull();
        }
    }

    @Test
    void pathologicalHtmlStaysLinear() {
        String html = "<p>" + "&".repeat(1_000_000) + "<".repeat(100_000) + "<!--" + "<a href=x".repeat(50_000);
        ParsedMessage m = parse(ascii("Content-Type: text/html\n\n" + html));
        assertThat(m.textParts()).hasSize(1);
    }

    @Test
    void emptyAndHeaderOnlyInput() {
        assertThat(parse(new byte[0]).headers()).isEmpty();
        assertThat(parse(ascii("From: a@b")).headers()).hasSize(1);
        assertThat(parse(ascii("not a header line at all\n\nx")).damage()).contains("missing headers");
    }
}
