package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;
import org.mailsift.imapwatcher.AccountStatus.AccountSnapshot;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.imapwatcher.WatcherStatusFile;

class WatcherStatusCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int mailsift(String... args) {
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(args, io);
    }

    @Test
    void watcherStatusPrintsEachAccountsCountersAndErrors() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        WatcherStatusFile.write(WatcherStatusFile.in(data), List.of(
                new AccountSnapshot("alice", Connection.IDLE, 3, 1, 0, "learned ham: from Junk to Archive: <a@x>", t, null, null, 2),
                new AccountSnapshot("bob", Connection.AUTH_FAILED, 0, 0, 7, null, null,
                        "authentication failed for bob at imap.example.org:993: [AUTHENTICATIONFAILED]", t, 0)));

        assertThat(mailsift("watcher", "status", "-c", etc.toString(), "--dbdir", data.toString())).isZero();

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).containsPattern("alice\\s+IDLE\\s+3\\s+1\\s+0\\s+2026-11-21T10:00:00Z learned ham: from Junk to Archive");
        assertThat(text).containsPattern("bob\\s+AUTH_FAILED\\s+0\\s+0\\s+7");
        assertThat(text).contains("error 2026-11-21T10:00:00Z authentication failed for bob");
        assertThat(text).contains("2 account(s), learned 3 spam, 1 ham");
    }

    @Test
    void withoutAStatusFileItSaysWhy() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        assertThat(mailsift("watcher", "status", "-c", etc.toString(), "--dbdir", tmp.resolve("data").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no IMAP watcher status");
    }
}
