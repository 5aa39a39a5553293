package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mailsift.agent.Main;
import org.mailsift.controller.security.PasswordHash;

class PwCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int mailsift(String stdin, String... args) {
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(args, io);
    }

    @Test
    void pwWithPassphraseOptionPrintsAVerifiableHash() {
        assertThat(mailsift("", "pw", "-p", "s3cret")).isZero();

        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(hash).startsWith("$pbkdf2-sha256$i=310000$");
        assertThat(PasswordHash.parse(hash).orElseThrow().matches("s3cret")).isTrue();
    }

    @Test
    void pwReadsThePassphraseFromStdinWhenPiped() {
        assertThat(mailsift("from-stdin\n", "pw")).isZero();

        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(PasswordHash.parse(hash).orElseThrow().matches("from-stdin")).isTrue();
    }

    @Test
    void anEmptyPassphraseIsRefused() {
        assertThat(mailsift("\n", "pw")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
