package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/**
 * Day one on a real Dovecot: an account's existing Junk becomes spam and its old read mail in INBOX and Archive
 * becomes ham, once, whatever happens in between.
 */
class DovecotBootstrapTest {
    private static final ZonedDateTime NOW = ZonedDateTime.now(ZoneOffset.UTC);

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw")
            .mailbox("Archive", "\\Archive"));

    @TempDir
    Path tmp;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private WatcherFixture fixture(String options) throws Exception {
        return new WatcherFixture(tmp, config(account("alice", dovecot.server().imapPort(), "alice", "alice-pw") + options));
    }

    private FolderBootstrap bootstrap(WatcherFixture f, Learner learner) {
        WatcherSettings s = f.settings();
        return new FolderBootstrap(s, s.bootstrap(), learner, f.dataDir, (account, line) -> progress.add(line), Clock.systemUTC());
    }

    /** Appends a message and returns its Message-ID. */
    private static String put(RawImapClient c, String folder, String flags, int daysOld, String subject) {
        String id = newMessageId();
        c.append(folder, message(id, subject), flags, NOW.minusDays(daysOld));
        return id;
    }

    private static List<String> ids(RecordingLearner learner, LearnClass c) {
        return learner.all().stream().filter(l -> l.learnClass() == c).map(RecordingLearner.Learned::messageId).toList();
    }

    @Test
    void bootstrapLearnsExistingJunkAsSpamAndOldReadInboxAsHam() throws Exception {
        List<String> spam = new ArrayList<>();
        List<String> ham = new ArrayList<>();
        List<String> never = new ArrayList<>();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            spam.add(put(c, "Junk", null, 3, "unread junk"));
            spam.add(put(c, "Junk", "\\Seen", 60, "old read junk"));
            spam.add(put(c, "Junk", null, 0, "fresh junk"));
            never.add(put(c, "Junk", "$NotJunk", 30, "marked not junk by a client"));
            ham.add(put(c, "INBOX", "\\Seen", 40, "read inbox 40 days"));
            ham.add(put(c, "INBOX", "\\Seen \\Answered", 20, "answered inbox"));
            ham.add(put(c, "Archive", "\\Seen", 400, "archived last year"));
            never.add(put(c, "INBOX", "\\Seen", 2, "read but recent"));
            never.add(put(c, "INBOX", null, 40, "never read"));
            never.add(put(c, "INBOX", "\\Seen $Junk", 40, "marked junk by a client"));
            never.add(put(c, "Trash", "\\Seen", 40, "read in trash"));
            never.add(put(c, "Sent", "\\Seen", 40, "sent by alice"));
        }
        RecordingLearner learner = new RecordingLearner();
        try (WatcherFixture f = fixture("")) {
            List<FolderBootstrap.AccountReport> reports = bootstrap(f, learner).run(f.settings().accounts(), false, false);
            assertThat(reports).singleElement().satisfies(r -> {
                assertThat(r.learnedSpam()).isEqualTo(3);
                assertThat(r.learnedHam()).isEqualTo(3);
                assertThat(r.complete()).isTrue();
                assertThat(r.error()).isNull();
            });
        }
        assertThat(ids(learner, LearnClass.SPAM)).containsExactlyInAnyOrderElementsOf(spam);
        assertThat(ids(learner, LearnClass.HAM)).containsExactlyInAnyOrderElementsOf(ham);
        assertThat(learner.all()).extracting(RecordingLearner.Learned::source).containsOnly("imap-bootstrap");
        assertThat(progress).anyMatch(l -> l.startsWith("alice: to learn: 3 spam of 3 in Junk, 3 ham of 3 read messages older than 14 days"))
                .anyMatch(l -> l.startsWith("alice: done; learned 3 spam and 3 ham"));
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            c.select("Junk");
            assertThat(c.ok("UID SEARCH UNSEEN")).contains("* SEARCH 1 3 4"); // what was unread still is
        }
    }

    @Test
    void eachClassIsCappedAndTheLargerOneBalancedToTheSmaller() throws Exception {
        List<String> newestHam = new ArrayList<>();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            for (int i = 0; i < 5; i++) {
                put(c, "Junk", null, 1, "junk " + i);
            }
            for (int i = 0; i < 8; i++) {
                String id = put(c, "INBOX", "\\Seen", 30, "ham " + i);
                if (i >= 5) {
                    newestHam.add(id);
                }
            }
        }
        RecordingLearner learner = new RecordingLearner();
        try (WatcherFixture f = fixture("bootstrap_max_per_class = 4;\n")) {
            bootstrap(f, learner).run(f.settings().accounts(), false, false);
        }
        assertThat(ids(learner, LearnClass.SPAM)).hasSize(4);
        assertThat(ids(learner, LearnClass.HAM)).hasSize(4).containsAll(newestHam); // newest first
        // alternating, so that a run stopped halfway is balanced too
        assertThat(learner.all().subList(0, 2)).extracting(RecordingLearner.Learned::learnClass)
                .containsExactlyInAnyOrder(LearnClass.SPAM, LearnClass.HAM);

        RecordingLearner second = new RecordingLearner();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            put(c, "Junk", null, 1, "one more junk");
        }
        try (WatcherFixture f = fixture("bootstrap_max_per_class = 10;\nbootstrap_balance = 1;\n")) {
            bootstrap(f, second).run(f.settings().accounts(), false, false);
        }
        // a second run with a larger cap learns what is left, balanced over both runs: 6 spam in all, so 6 ham
        assertThat(ids(second, LearnClass.SPAM)).hasSize(2).doesNotContainAnyElementsOf(ids(learner, LearnClass.SPAM));
        assertThat(ids(second, LearnClass.HAM)).hasSize(2).doesNotContainAnyElementsOf(ids(learner, LearnClass.HAM));
    }

    @Test
    void restartingBootstrapLearnsNothingTwice() throws Exception {
        List<String> all = new ArrayList<>();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            for (int i = 0; i < 60; i++) {
                all.add(put(c, "Junk", null, 1, "junk " + i));
                all.add(put(c, i % 2 == 0 ? "INBOX" : "Archive", "\\Seen", 30, "ham " + i));
            }
        }
        RecordingLearner first = new RecordingLearner();
        try (WatcherFixture f = fixture("")) {
            FolderBootstrap[] running = new FolderBootstrap[1];
            // the daemon is stopped after 37 learns (in the middle of a chunk of 50)
            Learner stopping = new Learner() {
                @Override
                public LearnOutcome learn(byte[] raw, LearnRequest request) {
                    LearnOutcome o = first.learn(raw, request);
                    if (first.all().size() == 37) {
                        running[0].stop();
                    }
                    return o;
                }

                @Override
                public LearnStatistics statistics() {
                    return first.statistics();
                }
            };
            running[0] = bootstrap(f, stopping);
            assertThat(running[0].run(f.settings().accounts(), false, true)).singleElement()
                    .satisfies(r -> assertThat(r.complete()).isFalse());
            assertThat(first.all()).hasSize(37);

            RecordingLearner second = new RecordingLearner();
            assertThat(bootstrap(f, second).run(f.settings().accounts(), false, true)).singleElement()
                    .satisfies(r -> {
                        assertThat(r.complete()).isTrue();
                        assertThat(r.learnedSpam() + r.learnedHam()).isEqualTo(120 - 37);
                        assertThat(r.earlierSpam() + r.earlierHam()).isEqualTo(37);
                    });
            List<String> learned = new ArrayList<>(first.all().stream().map(RecordingLearner.Learned::messageId).toList());
            learned.addAll(second.all().stream().map(RecordingLearner.Learned::messageId).toList());
            assertThat(learned).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);

            // the daemon's next start leaves the completed account alone; the CLI looks again and finds nothing new
            RecordingLearner third = new RecordingLearner();
            assertThat(bootstrap(f, third).run(f.settings().accounts(), false, true)).isEmpty();
            assertThat(bootstrap(f, third).run(f.settings().accounts(), false, false)).singleElement()
                    .satisfies(r -> assertThat(r.learnedSpam() + r.learnedHam()).isZero());
            assertThat(third.all()).isEmpty();
        }
    }

    @Test
    void unreadableAndHugeMessagesAreSkippedWithACountAndTheRestIsLearned() throws Exception {
        List<String> spam = new ArrayList<>();
        List<String> ham = new ArrayList<>();
        String broken;
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            spam.add(put(c, "Junk", null, 1, "junk one"));
            broken = put(c, "Junk", null, 1, "a file the IMAP server cannot open");
            spam.add(put(c, "Junk", null, 1, "junk two"));
            c.append("Junk", message(newMessageId(), "huge junk", "X-Padding: " + "x".repeat(30_000)), null, NOW.minusDays(1));
            spam.add(put(c, "Junk", null, 1, "junk three"));
            for (int i = 0; i < 3; i++) {
                ham.add(put(c, "INBOX", "\\Seen", 30, "ham " + i));
            }
        }
        Path file;
        try (Stream<Path> files = Files.walk(dovecot.server().maildir("alice").resolve(".Junk"))) {
            file = files.filter(p -> Files.isRegularFile(p) && (p.getParent().endsWith("new") || p.getParent().endsWith("cur")))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains(broken);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    }).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(file, Set.<PosixFilePermission>of()); // Dovecot cannot read it any more

        RecordingLearner learner = new RecordingLearner();
        try (WatcherFixture f = fixture("bootstrap_max_size = 20k;\n")) {
            assertThat(bootstrap(f, learner).run(f.settings().accounts(), false, false)).singleElement().satisfies(r -> {
                assertThat(r.skippedHuge()).isEqualTo(1);
                assertThat(r.skippedUnreadable()).isEqualTo(1);
                assertThat(r.complete()).isTrue();
                assertThat(r.summary()).contains("skipped 1 unreadable and 1 too big");
            });
        }
        assertThat(ids(learner, LearnClass.SPAM)).as(progress.toString()).containsExactlyInAnyOrderElementsOf(spam);
        assertThat(ids(learner, LearnClass.HAM)).containsExactlyInAnyOrderElementsOf(ham);
    }

    @Test
    void theWatcherWithBootstrapTrueLearnsOnceAtItsFirstStart() throws Exception {
        List<String> all = new ArrayList<>();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            for (int i = 0; i < 3; i++) {
                all.add(put(c, "Junk", null, 1, "junk " + i));
                all.add(put(c, "INBOX", "\\Seen", 30, "ham " + i));
            }
        }
        try (WatcherFixture f = fixture("bootstrap = true;\n")) {
            f.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> f.learner.all().size() == 6);
            assertThat(f.learner.all()).extracting(RecordingLearner.Learned::messageId).containsExactlyInAnyOrderElementsOf(all);
            f.watcher.awaitBootstrap(Duration.ofSeconds(20));
            assertThat(f.status("alice").lastEvent()).startsWith("bootstrap: done; learned 3 spam and 3 ham");
            f.stop();
            f.start();
            f.watcher.awaitBootstrap(Duration.ofSeconds(20));
            f.awaitState(AccountStatus.Connection.IDLE);
            assertThat(f.learner.all()).hasSize(6);
        }
    }
}
