package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;

/** {@code mailsift deliver} and {@code mailsift filter} with the real scan engine and the shipped configuration. */
class DeliverCommandTest {
    static final String GTUBE = "From: t@example.org\nTo: alice@example.com\nSubject: test\nMessage-ID: <g@example.org>\n\n"
            + "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n";
    static final String HAM = "From: Bob <bob@example.org>\nTo: alice@example.com\nSubject: lunch\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 +0000\nMessage-ID: <lunch@example.org>\n\nSee you at noon.\n";

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int mailsift(String stdin, String command, String... args) {
        String root = System.getProperty("mailsift.root", "..");
        List<String> all = new ArrayList<>(List.of(command, "-c", Path.of(root, "etc").toString(), "--dbdir", tmp.resolve("data").toString()));
        all.addAll(List.of(args));
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(all.toArray(String[]::new), io);
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void gtubeIsScannedAndFiledIntoJunkHamIntoInbox() throws Exception {
        Path maildir = tmp.resolve("alice/Maildir");
        assertThat(mailsift(GTUBE, "deliver", "-d", "alice", "-f", "t@example.org", "--maildir", maildir.toString())).isZero();
        assertThat(mailsift(HAM, "deliver", "-d", "alice", "-f", "bob@example.org", "--maildir", maildir.toString())).isZero();
        List<Path> junk = files(maildir.resolve(".Junk/new"));
        assertThat(junk).hasSize(1);
        assertThat(Files.readString(junk.get(0))).contains("X-Spam: Yes").contains("GTUBE-STANDARD");
        List<Path> inbox = files(maildir.resolve("new"));
        assertThat(inbox).hasSize(1);
        assertThat(Files.readString(inbox.get(0))).contains("Subject: lunch").doesNotContain("X-Spam: Yes");
    }

    @Test
    void unknownUserExitsWithExNoUser() {
        assertThat(mailsift(HAM, "deliver", "-d", "ghost@nowhere.example")).isEqualTo(67);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown user ghost@nowhere.example");
    }

    @Test
    void anUnwritableMaildirIsATemporaryFailure() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThat(mailsift(HAM, "deliver", "-d", "alice", "--maildir", file.resolve("Maildir").toString())).isEqualTo(75);
    }

    @Test
    void scriptRejectBouncesWithTheReason() throws Exception {
        Path script = Files.writeString(tmp.resolve("user.sieve"), "require \"reject\";\nreject \"no lunch for me\";\n");
        assertThat(mailsift(HAM, "deliver", "-d", "alice", "--maildir", tmp.resolve("m").toString(), "--sieve", script.toString())).isEqualTo(77);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no lunch for me");
    }

    @Test
    void missingUserOptionIsAUsageError() {
        assertThat(mailsift(HAM, "deliver")).isEqualTo(64);
    }

    @Test
    void filterPrintsTheMessageWithVerdictHeaders() {
        assertThat(mailsift(GTUBE, "filter")).isZero();
        String filtered = out.toString(StandardCharsets.UTF_8);
        assertThat(filtered).contains("X-Spam: Yes").contains("Subject: test").endsWith("GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n");
    }
}
