package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/** `mailsift learn-folders` against a real Dovecot, into the real embedded Bayes store. */
class LearnFoldersCommandTest {
    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw"));

    @TempDir
    Path dir;

    private String run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args[0], "-c", dir.resolve("etc").toString(), "--dbdir",
                dir.resolve("db").toString(), "--local"));
        all.addAll(List.of(args).subList(1, args.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] message(String id, String subject, String body) {
        return ("From: someone@sender.test\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + id
                + "@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private LearnStatistics statistics() throws Exception {
        try (AgentContext c = new AgentContext(ConfigDirectory.open(dir.resolve("etc")), dir.resolve("db"))) {
            return c.learner().statistics();
        }
    }

    @Test
    void learnFoldersLearnsJunkAndOldReadMailOnceIntoTheStore() throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "account \"alice\" { host = \"127.0.0.1\"; port = "
                + dovecot.server().imapPort() + "; tls = \"none\"; user = \"alice\"; password = \"alice-pw\"; }\n");
        ZonedDateTime old = ZonedDateTime.now(ZoneOffset.UTC).minusDays(30);
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            String[] words = {"alpha", "bravo", "charlie"};
            for (int i = 0; i < 3; i++) {
                c.append("Junk", message("junk" + i, "cheap pills " + words[i],
                        "Buy cheap pills now, limited " + words[i] + " offer, click the link and order today"), null, null);
                c.append("INBOX", message("ham" + i, "minutes of meeting " + words[i],
                        "Here are the minutes of our " + words[i] + " meeting about the quarterly budget and the roadmap"), "\\Seen", old);
            }
        }
        assertThat(run("learn-folders", "--dry-run")).contains("alice: to learn: 3 spam of 3 in Junk, 3 ham of 3 read messages older than 14 days");
        assertThat(statistics().spamLearns()).isZero();

        assertThat(run("learn-folders")).contains("alice: done; learned 3 spam and 3 ham");
        assertThat(statistics().spamLearns()).isEqualTo(3);
        assertThat(statistics().hamLearns()).isEqualTo(3);

        assertThat(run("learn-folders")).contains("alice: done; learned 0 spam and 0 ham (3 spam and 3 ham by earlier runs)");
        assertThat(statistics().spamLearns()).isEqualTo(3);
    }

    @Test
    void withoutAccountsItSaysWhereToConfigureThem() throws Exception {
        StockConfiguration.copyTo(dir.resolve("etc"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"learn-folders", "-c", dir.resolve("etc").toString(), "--dbdir", dir.resolve("db").toString()},
                new CliCommand.Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no IMAP accounts: configure them in local.d/imap_watcher.conf");
    }
}
