package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/**
 * The day-one story on real mail (the shared corpus; skipped without it): a mailbox holds 250 spam in Junk and 250
 * old read ham in INBOX, plus mail that must not be learned; after one `mailsift learn-folders`, Bayes, silent before,
 * tells the next messages apart.
 */
class DayOneBootstrapOnCorpusTest {
    private static final int TRAIN = 250;
    private static final int TEST = 100;

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw"));

    @TempDir
    Path dir;

    private static List<Path> corpus(String cls) throws IOException {
        Path d = Path.of(System.getProperty("mailsift.corpus", "/nonexistent")).resolve(cls);
        Assumptions.assumeTrue(Files.isDirectory(d), "corpus not available");
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().limit(TRAIN + TEST).toList();
        }
    }

    @Test
    void afterLearnFoldersBayesTellsTheNextMessagesApart() throws Exception {
        List<Path> spam = corpus("spam");
        List<Path> ham = corpus("ham");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "account \"alice\" { host = \"127.0.0.1\"; port = "
                + dovecot.server().imapPort() + "; tls = \"none\"; user = \"alice\"; password = \"alice-pw\"; }\n");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            for (int i = 0; i < TRAIN; i++) {
                c.append("Junk", Files.readAllBytes(spam.get(i)), null, now.minusDays(1));
                c.append("INBOX", Files.readAllBytes(ham.get(i)), "\\Seen", now.minusDays(30));
            }
            // not ham yet: read only two days ago, or never read; the user may still move them to Junk
            for (int i = TRAIN; i < TRAIN + 20; i++) {
                c.append("INBOX", Files.readAllBytes(spam.get(i)), i % 2 == 0 ? "\\Seen" : null, now.minusDays(i % 2 == 0 ? 2 : 30));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = Main.run(new String[] {"learn-folders", "-c", etc.toString(), "--dbdir", dir.resolve("db").toString(), "--local"},
                new CliCommand.Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(out, true, StandardCharsets.UTF_8)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("alice: done; learned " + TRAIN + " spam and " + TRAIN + " ham");
        System.out.print(printed);
        System.out.printf(Locale.ROOT, "learn-folders: %d messages from Dovecot into the embedded store in %.1f s (%.0f msg/s)%n",
                2 * TRAIN, seconds, 2 * TRAIN / seconds);

        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"))) {
            LearnStatistics stats = context.learner().statistics();
            // a few corpus messages are the same by content (the learned-message cache counts them once)
            assertThat(stats.spamLearns()).isBetween(TRAIN - 15L, (long) TRAIN);
            assertThat(stats.hamLearns()).isBetween(TRAIN - 15L, (long) TRAIN);
            // what the user sees: the next messages flagged (X-Spam: Yes, into Junk) or not
            List<Path> nextSpam = spam.subList(TRAIN + 20, TRAIN + TEST);
            List<Path> nextHam = ham.subList(TRAIN, TRAIN + TEST);
            long spamCaught = flagged(context, nextSpam);
            long hamCaught = flagged(context, nextHam);
            System.out.printf(Locale.ROOT, "after the bootstrap: %d of %d spam and %d of %d ham flagged%n",
                    spamCaught, nextSpam.size(), hamCaught, nextHam.size());
            assertThat(spamCaught).isGreaterThan(nextSpam.size() * 3 / 4);
            assertThat(hamCaught).isLessThan(nextHam.size() / 20);
        }
        // for comparison: the same messages learned from files in this JVM (what learn-spam/learn-ham do)
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db-files"))) {
            long t1 = System.nanoTime();
            for (int i = 0; i < TRAIN; i++) {
                context.learner().learn(Files.readAllBytes(spam.get(i)), new org.mailsift.core.learn.LearnRequest(
                        org.mailsift.core.learn.LearnClass.SPAM, null, true, "cli"));
                context.learner().learn(Files.readAllBytes(ham.get(i)), new org.mailsift.core.learn.LearnRequest(
                        org.mailsift.core.learn.LearnClass.HAM, null, true, "cli"));
            }
            double s2 = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "the same %d messages learned from files: %.1f s (%.0f msg/s)%n", 2 * TRAIN, s2, 2 * TRAIN / s2);
        }
    }

    /** Bayes's probability for each message; silent counts as 0.5 (it may not be silent for lack of learns any more). */
    /** How many of {@code files} the scan flags (add header, rewrite subject or reject); Bayes must have spoken on each. */
    private static long flagged(AgentContext context, List<Path> files) throws IOException {
        long flagged = 0;
        for (Path f : files) {
            ScanResult r = context.scanner().scan(Files.readAllBytes(f), Envelope.EMPTY);
            ScanResult.BayesInfo b = r.bayes();
            assertThat(b).isNotNull();
            if (b.silentReason() != null) {
                assertThat(b.silentReason()).as(f.toString()).doesNotStartWith("not enough learns");
            }
            org.mailsift.core.scan.Action a = r.action();
            if (a == org.mailsift.core.scan.Action.ADD_HEADER || a == org.mailsift.core.scan.Action.REWRITE_SUBJECT
                    || a == org.mailsift.core.scan.Action.REJECT) {
                flagged++;
            }
        }
        return flagged;
    }
}
