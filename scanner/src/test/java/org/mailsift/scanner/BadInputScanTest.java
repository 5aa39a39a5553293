package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;

/** Hostile messages through the whole engine: a result every time, with the damage as symbols. */
class BadInputScanTest {
    private final ScanEngine engine = Fixtures.engine();

    private ScanResult scan(byte[] raw) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> engine.scan(raw, Envelope.EMPTY));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void truncatedMimeIsReportedAsDamage() {
        ScanResult r = scan(ascii("From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/pl"));
        assertThat(r.symbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("MIME_PARSE_DAMAGE");
            assertThat(s.options()).contains("truncated multipart");
        });
    }

    @Test
    void deepNestingAndHugeHeadersStillScore() {
        StringBuilder sb = new StringBuilder("Subject: " + "A".repeat(200 * 1024) + "\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        ScanResult r = scan(ascii(sb.toString()));
        assertThat(r.hasSymbol("MIME_PARSE_DAMAGE")).isTrue();
        assertThat(r.hasSymbol("SUBJ_ALL_CAPS")).isTrue();
    }

    @Test
    void fiftyMegabyteAttachmentScansQuickly() {
        byte[] head = ascii("From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: application/octet-stream; name=x.bin\nContent-Transfer-Encoding: base64\n\n");
        byte[] raw = Arrays.copyOf(head, head.length + (50 << 20));
        Arrays.fill(raw, head.length, raw.length, (byte) 'Q');
        ScanResult r = scan(raw);
        assertThat(r.scanTimeSeconds()).isLessThan(5);
        assertThat(r.hasSymbol("MIME_PARSE_DAMAGE")).isTrue(); // truncated: no closing boundary
    }

    @Test
    void nulBytesInvalidCharsetAndBase64Garbage() {
        ScanResult r = scan(ascii("From: a@b.example\0\nContent-Type: text/plain; charset=bogus-8\n"
                + "Content-Transfer-Encoding: base64\n\n\0\0!!!garbage***\n"));
        assertThat(r.symbols()).filteredOn(s -> s.name().equals("MIME_PARSE_DAMAGE"))
                .singleElement().satisfies(s -> assertThat(s.options()).contains("bad base64", "unknown charset"));
    }
}
