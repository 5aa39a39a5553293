package org.mailsift.sieve.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.sieve.engine.MailMessage;

class VerdictSealTest {
    static final String SEALED_PART = "Message-ID: <s@x>\nX-Spam: Yes\nX-Spamd-Result: default: False [8.00 / 15.00]\nSubject: s\n";

    @TempDir
    Path data;

    MailMessage sealed(VerdictSeal seal, String headers, Instant when) {
        MailMessage m = MailMessage.parse((headers + "\nbody\n").getBytes(StandardCharsets.US_ASCII));
        return MailMessage.parse((VerdictSeal.HEADER + ": " + seal.seal(m, when) + "\n" + headers + "\nbody\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aSealFromThisHostsKeyVerifiesAndTheKeyIsPrivate() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        assertThat(seal.verify(sealed(seal, SEALED_PART, Instant.now()))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("verdict-seal.key")))).isEqualTo("rw-------");
    }

    @Test
    void changedVerdictHeadersOldSealsAndForeignKeysAreRefused() throws Exception {
        VerdictSeal seal = VerdictSeal.open(data);
        String good = new String(sealed(seal, SEALED_PART, Instant.now()).raw(), StandardCharsets.US_ASCII);
        assertThat(seal.verify(MailMessage.parse(good.replace("X-Spam: Yes", "X-Spam: No").getBytes(StandardCharsets.US_ASCII)))).isFalse();
        assertThat(seal.verify(MailMessage.parse(good.replace("<s@x>", "<other@x>").getBytes(StandardCharsets.US_ASCII)))).isFalse();
        assertThat(seal.verify(sealed(seal, SEALED_PART, Instant.now().minus(Duration.ofDays(8))))).isFalse();
        VerdictSeal other = VerdictSeal.open(Files.createDirectory(data.resolve("other")));
        assertThat(seal.verify(sealed(other, SEALED_PART, Instant.now()))).isFalse();
        assertThat(seal.verify(MailMessage.parse((SEALED_PART + "\nbody\n").getBytes(StandardCharsets.US_ASCII)))).isFalse();
    }
}
