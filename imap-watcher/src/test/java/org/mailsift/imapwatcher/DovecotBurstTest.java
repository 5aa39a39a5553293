package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/**
 * Bursts against a real Dovecot, as the end-to-end run does them: hundreds of messages moved into Junk by the user
 * and, while the watcher is still reading those, hundreds more filed into Junk by the filter (written straight into
 * the Maildir) that the user rescues a moment later. {@code -Dburst.load=2} adds busy threads, as a loaded machine.
 */
class DovecotBurstTest {
    private static final int SPAM = 250;
    private static final int HAM = 250;
    private static final String FILED_BY_FILTER = "X-Spam: Yes\nX-Spamd-Result: default: False [6.50 / 15.00];\n";

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw"));

    @TempDir
    Path tmp;

    private WatcherFixture fixture;
    private final List<Thread> load = new ArrayList<>();
    private volatile boolean loaded = true;

    @AfterEach
    void stop() throws Exception {
        loaded = false;
        for (Thread t : load) {
            t.join();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void hamFiledByTheFilterWhileSpamIsBeingReadIsLearnedWhenRescued() throws Exception {
        startLoad(Integer.getInteger("burst.load", 0));
        DovecotServer server = watchAlice();
        try (RawImapClient c = RawImapClient.login(server, "alice", "alice-pw")) {
            for (int i = 0; i < SPAM; i++) {
                c.append("INBOX", message(newMessageId(), "spam " + i, ""));
            }
            c.select("INBOX");
            c.ok("UID MOVE 1:* Junk");
            // the watcher is reading the spam now; the filter files ham into Junk meanwhile
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> !fixture.learner.all().isEmpty());
            List<String> ham = fileIntoJunk(server.maildir("alice"), HAM);
            long filed = System.nanoTime();
            c.select("Junk"); // Dovecot gives the new files their UIDs and tells the watcher's connection
            List<Long> uids = c.searchHeader("X-Spam", "Yes");
            assertThat(uids).hasSize(HAM);
            // the user rescues them once the watcher has seen them in Junk (before, nobody could tell a rescue)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fixture.status("alice").filedByFilter() == HAM);
            c.ok("UID MOVE " + uids.stream().map(String::valueOf).collect(Collectors.joining(",")) + " INBOX");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(LearnClass.HAM) == HAM && count(LearnClass.SPAM) == SPAM);
            System.out.printf("burst: %d spam + %d ham learned %d ms after the ham was filed%n", SPAM, HAM,
                    (System.nanoTime() - filed) / 1_000_000);
            assertHamLearnedExactly(ham);
        }
    }

    /**
     * The user rescues misfiled ham in several MOVEs, one right after the other (as a client moving a long selection
     * does) while marking other mail as spam: a MOVE that lands while the watcher is still reading arrivals or looking
     * for where the previous one went must not be missed.
     */
    @Test
    void hamRescuedInBatchesOneRightAfterTheOtherIsAllLearned() throws Exception {
        DovecotServer server = watchAlice();
        try (RawImapClient c = RawImapClient.login(server, "alice", "alice-pw")) {
            List<String> ham = fileIntoJunk(server.maildir("alice"), HAM);
            c.select("Junk");
            List<Long> uids = c.searchHeader("X-Spam", "Yes");
            assertThat(uids).hasSize(HAM);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fixture.status("alice").filedByFilter() == HAM); // the watcher has seen them arrive
            int spam = 0;
            for (int i = 0; i < uids.size(); i += 25) {
                // meanwhile the user also marks mail as spam, so the watcher has bodies to read in each pass
                for (int k = 0; k < 20; k++, spam++) {
                    c.append("INBOX", message(newMessageId(), "spam " + spam, ""));
                }
                c.select("INBOX");
                List<Long> fresh = c.searchHeader("Subject", "spam");
                c.ok("UID MOVE " + fresh.stream().map(String::valueOf).collect(Collectors.joining(",")) + " Junk");
                c.select("Junk");
                c.ok("UID MOVE " + uids.subList(i, Math.min(i + 25, uids.size())).stream().map(String::valueOf)
                        .collect(Collectors.joining(",")) + " INBOX");
            }
            int spamMoved = spam;
            // every move decided once (spam into Junk, ham out of it), and every learn stored
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fixture.movesDecided("alice") >= spamMoved + HAM
                            && count(LearnClass.HAM) == HAM && count(LearnClass.SPAM) == spamMoved);
            // a last move as a barrier: once it is decided, every pass that could have seen the earlier moves has run
            c.append("INBOX", message(newMessageId(), "barrier", ""));
            c.select("INBOX");
            c.ok("UID MOVE " + c.searchHeader("Subject", "barrier").get(0) + " Junk");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(LearnClass.SPAM) == spamMoved + 1);
            assertThat(fixture.movesDecided("alice")).as("no move decided twice").isEqualTo(spamMoved + HAM + 1);
            assertHamLearnedExactly(ham);
        }
    }

    /**
     * The end-to-end run's order: the user marks 250 messages as spam (one MOVE), then rescues 250 the filter filed
     * into Junk in five MOVEs of 50 sent back to back, once the watcher has seen them in Junk.
     */
    @Test
    void hamRescuedInFiveMovesOfFiftyAfterASpamBurstIsAllLearned() throws Exception {
        DovecotServer server = watchAlice();
        try (RawImapClient c = RawImapClient.login(server, "alice", "alice-pw")) {
            for (int i = 0; i < SPAM; i++) {
                c.append("INBOX", message(newMessageId(), "spam " + i, ""));
            }
            c.select("INBOX");
            c.ok("UID MOVE 1:* Junk");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> count(LearnClass.SPAM) == SPAM);
            List<String> ham = fileIntoJunk(server.maildir("alice"), HAM);
            c.select("Junk");
            List<Long> uids = c.searchHeader("X-Spam", "Yes");
            assertThat(uids).hasSize(HAM);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fixture.status("alice").filedByFilter() == HAM);
            for (int i = 0; i < uids.size(); i += 50) {
                c.ok("UID MOVE " + uids.subList(i, Math.min(i + 50, uids.size())).stream().map(String::valueOf)
                        .collect(Collectors.joining(",")) + " INBOX");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(LearnClass.HAM) == HAM);
            assertHamLearnedExactly(ham);
        }
    }

    /** The watcher on alice's account, idling on Junk. */
    private DovecotServer watchAlice() throws Exception {
        DovecotServer server = dovecot.server();
        fixture = new WatcherFixture(tmp, config(account("alice", server.imapPort(), "alice", "alice-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        return server;
    }

    private void assertHamLearnedExactly(List<String> ham) {
        assertThat(fixture.learner.all()).filteredOn(l -> l.learnClass() == LearnClass.HAM)
                .extracting(RecordingLearner.Learned::messageId).containsExactlyInAnyOrderElementsOf(ham);
    }

    private long count(LearnClass cls) {
        return fixture.learner.all().stream().filter(l -> l.learnClass() == cls).count();
    }

    /** As sieve_before does: files with our verdict headers renamed into Junk's new/, no IMAP involved. */
    private static List<String> fileIntoJunk(Path maildir, int n) throws Exception {
        Path junk = maildir.resolve(".Junk");
        Files.createDirectories(junk.resolve("tmp"));
        Files.createDirectories(junk.resolve("new"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = newMessageId();
            ids.add(id);
            String name = System.currentTimeMillis() / 1000 + ".burst" + i + ".localhost";
            Path tmpFile = junk.resolve("tmp").resolve(name);
            // as a delivery agent writes them: LF line ends
            Files.writeString(tmpFile, new String(message(id, "misfiled ham " + i, FILED_BY_FILTER), StandardCharsets.UTF_8)
                    .replace("\r\n", "\n"));
            Files.move(tmpFile, junk.resolve("new").resolve(name));
        }
        return ids;
    }

    /** A few kilobytes, so that reading each message whole costs what real mail costs. */
    private static byte[] message(String id, String subject, String headers) {
        String body = "Some words for the tokenizer, cheap watches and meeting notes.\n".repeat(60);
        String text = headers + "From: Sender <sender@example.test>\nTo: alice@example.test\nSubject: " + subject
                + "\nMessage-ID: " + id + "\nDate: Sat, 21 Nov 2026 10:00:00 +0000\n\n" + body;
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private void startLoad(int threads) {
        for (int i = 0; i < threads; i++) {
            load.add(Thread.ofPlatform().daemon().name("busy-" + i).start(() -> {
                long x = 0;
                while (loaded) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }
    }
}
