package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;
import org.mailsift.scanner.auth.dkim.DkimCrypto;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.scanner.auth.dkim.DkimKeyRecord;

class DkimKeygenCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    private int mailsift(String... args) {
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(args, io);
    }

    /** The TXT value of the printed zone record: its quoted strings joined. */
    private String publishedValue() {
        String printed = out.toString(StandardCharsets.UTF_8);
        StringBuilder v = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(printed);
        while (m.find()) {
            v.append(m.group(1));
        }
        return v.toString();
    }

    @Test
    void anRsaKeyIsWrittenPrivatelyAndItsRecordMatchesIt() throws Exception {
        Path key = dir.resolve("dkim/example.com.s1.key");
        assertThat(mailsift("dkim-keygen", "-d", "example.com", "-s", "s1", "-k", key.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("s1._domainkey IN TXT ( \"v=DKIM1; k=rsa; p=");
        PrivateKey priv = DkimKeyFiles.read(key);
        DkimKeyRecord record = DkimKeyRecord.parse(publishedValue());
        byte[] data = "signed".getBytes(StandardCharsets.US_ASCII);
        assertThat(DkimCrypto.verify(record.key(), "SHA-256", data, DkimCrypto.sign(priv, "SHA-256", data))).isTrue();
    }

    @Test
    void anEd25519KeyGetsARawPublicKeyRecord() throws Exception {
        Path key = dir.resolve("ed.key");
        assertThat(mailsift("dkim-keygen", "-d", "example.com", "-s", "ed", "-t", "ed25519", "-k", key.toString())).isZero();
        DkimKeyRecord record = DkimKeyRecord.parse(publishedValue());
        assertThat(record.type()).isEqualTo("ed25519");
        byte[] data = "signed".getBytes(StandardCharsets.US_ASCII);
        assertThat(DkimCrypto.verify(record.key(), "SHA-256", data, DkimCrypto.sign(DkimKeyFiles.read(key), "SHA-256", data)))
                .isTrue();
    }

    @Test
    void anExistingKeyIsNotOverwrittenWithoutForceAndBadArgumentsAreUsageErrors() throws Exception {
        Path key = dir.resolve("k.key");
        Files.writeString(key, "precious");
        assertThat(mailsift("dkim-keygen", "-d", "example.com", "-k", key.toString())).isEqualTo(1);
        assertThat(Files.readString(key)).isEqualTo("precious");
        assertThat(mailsift("dkim-keygen", "-s", "x")).isEqualTo(2);
        assertThat(mailsift("dkim-keygen", "-d", "example.com", "-b", "512")).isNotZero();
    }
}
