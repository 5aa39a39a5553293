package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.scan.HeaderChange;

class VerdictSealTest {
    /** As the milter sees it: CRLF, a sender's forged verdict header. */
    static final String INCOMING = "From: a@b.example\r\nMessage-ID: <s@x>\r\nX-Spam: No\r\nSubject: s\r\n\r\nbody\r\nline 2\r\n";
    /** The milter's edits: remove the forged flag, add ours (one folded). */
    static final List<HeaderChange> EDITS = List.of(HeaderChange.removeAll("X-Spam"),
            HeaderChange.add("X-Spamd-Result", "default: False [8.00 / 15.00];\n\tBAYES_SPAM(5.10)[99.99%]"),
            HeaderChange.set("X-Spam", "Yes"));

    @TempDir
    Path data;

    /** The message as delivered: edits applied, seal added, line endings turned into LF by the MTA. */
    static String delivered(VerdictSeal seal, String incoming, Instant when) {
        byte[] raw = incoming.getBytes(StandardCharsets.US_ASCII);
        List<HeaderChange> all = new java.util.ArrayList<>(EDITS);
        all.add(seal.sealHeader(raw, EDITS, when));
        return new String(HeaderRewriter.apply(raw, all), StandardCharsets.US_ASCII).replace("\r\n", "\n");
    }

    static VerdictSeal.Check verify(VerdictSeal seal, String message) {
        return seal.verify(message.getBytes(StandardCharsets.US_ASCII), Instant.now());
    }

    @Test
    void aSealFromThisHostsKeyVerifiesAfterTheMtaRefoldsAndTheKeyIsPrivate() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        String message = delivered(seal, INCOMING, Instant.now());
        assertThat(verify(seal, message)).isEqualTo(VerdictSeal.Check.VALID);
        assertThat(verify(seal, "From alice@b.example Sat Nov 21 10:00:00 2026\n" + message + "\n\n")).isEqualTo(VerdictSeal.Check.VALID);
        assertThat(verify(seal, message.replace("default: False [8.00 / 15.00];\n\t", "default: False [8.00 / 15.00]; ")))
                .isEqualTo(VerdictSeal.Check.VALID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(VerdictSeal.keyFile(data)))).isEqualTo("rw-------");
        assertThat(verify(VerdictSeal.open(data), message)).as("the same key, read again").isEqualTo(VerdictSeal.Check.VALID);
    }

    @Test
    void tamperedVerdictHeadersMessageIdOrBodyAreRefused() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        String good = delivered(seal, INCOMING, Instant.now());
        assertThat(verify(seal, good.replace("X-Spam: Yes", "X-Spam: No"))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, good.replace("X-Spam: Yes\n", ""))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, good.replace("Subject: s\n", "Subject: s\nX-Spam-Status: No, score=0.00\n"))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, good.replace("8.00", "1.00"))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, good.replace("<s@x>", "<other@x>"))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, good.replace("line 2", "buy pills"))).as("the seal copied onto another body").isEqualTo(VerdictSeal.Check.BAD_MAC);
        String sealLine = good.lines().filter(l -> l.startsWith(VerdictSeal.HEADER)).findFirst().orElseThrow();
        int mac = sealLine.indexOf("mac=") + 4;
        String flipped = sealLine.substring(0, mac) + (sealLine.charAt(mac) == 'A' ? 'B' : 'A') + sealLine.substring(mac + 1);
        assertThat(verify(seal, good.replace(sealLine, flipped))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        assertThat(verify(seal, sealLine + "\n" + good)).as("two seals").isEqualTo(VerdictSeal.Check.MALFORMED);
        assertThat(verify(seal, good.replace(sealLine, VerdictSeal.HEADER + ": v=1; t=1; mac=nope"))).isEqualTo(VerdictSeal.Check.MALFORMED);
    }

    @Test
    void staleSealsAndSealsFromTheFutureAreRefused() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        assertThat(verify(seal, delivered(seal, INCOMING, Instant.now().minus(Duration.ofHours(23))))).isEqualTo(VerdictSeal.Check.VALID);
        assertThat(verify(seal, delivered(seal, INCOMING, Instant.now().minus(Duration.ofHours(25))))).isEqualTo(VerdictSeal.Check.STALE);
        assertThat(verify(seal, delivered(seal, INCOMING, Instant.now().plus(Duration.ofHours(1))))).isEqualTo(VerdictSeal.Check.STALE);
    }

    @Test
    void anotherHostsKeyAndUnsealedHeadersAreNotTrusted() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        VerdictSeal other = VerdictSeal.open(Files.createDirectory(data.resolve("other")));
        assertThat(verify(seal, delivered(other, INCOMING, Instant.now()))).isEqualTo(VerdictSeal.Check.BAD_MAC);
        String headersAlone = new String(HeaderRewriter.apply(INCOMING.getBytes(StandardCharsets.US_ASCII), EDITS), StandardCharsets.US_ASCII);
        assertThat(verify(seal, headersAlone)).isEqualTo(VerdictSeal.Check.MISSING);
        assertThat(verify(seal, headersAlone).trusted()).isFalse();
    }
}
