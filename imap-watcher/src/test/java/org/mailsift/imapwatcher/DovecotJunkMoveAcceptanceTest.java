package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * The acceptance scenarios of issue 6 against a real Dovecot: a user's own IMAP client (a raw socket) moves mail,
 * the watcher learns through a recording Learner. Each test gets a fresh Dovecot (~50 ms to start).
 */
class DovecotJunkMoveAcceptanceTest {
    private static final Duration LEARN_WITHIN = Duration.ofSeconds(30); // a bound for a loaded machine: awaits end as soon as it holds

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder()
            .user("alice", "alice-pw")
            .user("bob", "bob-pw")
            .masterUser("mailsift", "master-pw")
            .mailbox("Archive", "\\Archive"));

    @TempDir
    Path tmp;

    private WatcherFixture fixture;

    @AfterEach
    void stopWatcher() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private DovecotServer server() {
        return dovecot.server();
    }

    private RawImapClient alice() {
        return RawImapClient.login(server(), "alice", "alice-pw");
    }

    private WatcherFixture watchAlice() throws Exception {
        fixture = new WatcherFixture(tmp, config(account("alice", server().imapPort(), "alice", "alice-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        return fixture;
    }

    private String inInbox(RawImapClient c) {
        String id = newMessageId();
        c.append("INBOX", message(id, "test " + id));
        return id;
    }

    private void awaitLearned(String id, LearnClass... classes) {
        await().atMost(LEARN_WITHIN).pollInterval(Duration.ofMillis(10))
                .until(() -> fixture.learner.of(id).size() >= classes.length);
        assertThat(fixture.learner.of(id)).extracting(RecordingLearner.Learned::learnClass).containsExactly(classes);
    }

    /**
     * A last move into Junk, then its learn: every pass that could have seen the moves before it has run by then, so
     * a late duplicate would already be on record (and in {@link WatcherFixture#movesDecided}). Returns its id.
     */
    private String barrier(RawImapClient c) {
        String id = inInbox(c);
        c.select("INBOX");
        c.move(id, "Junk");
        awaitLearned(id, LearnClass.SPAM);
        return id;
    }

    private void awaitEvent(String account, String text) {
        await().atMost(LEARN_WITHIN).pollInterval(Duration.ofMillis(10)).until(() -> {
            String e = fixture.status(account).lastEvent();
            return e != null && e.contains(text);
        });
    }

    @Test
    void movingToJunkLearnsSpamOnceAndMovingBackToInboxRelearnsHam() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            c.select("Junk");
            c.move(id, "INBOX");
            awaitLearned(id, LearnClass.SPAM, LearnClass.HAM);
            barrier(c);
            assertThat(fixture.learner.of(id)).as("no late duplicate").hasSize(2);
            assertThat(fixture.movesDecided("alice")).isEqualTo(3);
            // the status follows the stored learns (the move and the barrier as spam, the rescue as ham)
            await().atMost(LEARN_WITHIN).untilAsserted(() -> {
                assertThat(fixture.status("alice").learnedSpam()).isEqualTo(2);
                assertThat(fixture.status("alice").learnedHam()).isEqualTo(1);
            });
        }
    }

    @Test
    void movingFromJunkToTrashLearnsNothing() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            c.select("Junk");
            c.move(id, "Trash");
            awaitEvent("alice", "to Trash, not learned");
            assertThat(fixture.learner.of(id)).extracting(RecordingLearner.Learned::learnClass).containsExactly(LearnClass.SPAM);
        }
    }

    @Test
    void movingFromJunkToArchiveLearnsHam() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            c.select("Junk");
            c.move(id, "Archive");
            awaitLearned(id, LearnClass.SPAM, LearnClass.HAM);
            awaitEvent("alice", "to Archive"); // the status follows the stored learn
        }
    }

    @Test
    void outlookStyleCopyDeleteExpungeIntoJunkLearnsSpam() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.copyDeleteExpunge(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            c.select("Junk");
            c.copyDeleteExpunge(id, "INBOX");
            awaitLearned(id, LearnClass.SPAM, LearnClass.HAM);
        }
    }

    @Test
    void appendingIntoJunkLearnsSpam() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = newMessageId();
            c.append("Junk", message(id, "uploaded by a client"));
            awaitLearned(id, LearnClass.SPAM);
        }
    }

    @Test
    void theFiltersOwnDeliveryIntoJunkIsNotLearnedButRescuingItIsHam() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = newMessageId();
            // what the milter + sieve_before leave behind: our verdict headers, filed into Junk at delivery
            c.append("Junk", message(id, "filed by us", "X-Spam: Yes",
                    "X-Spamd-Result: default: True [12.30 / 6.00];\r\n\tBAYES_SPAM(5.10)[99.0%]"));
            awaitEvent("alice", "by the filter");
            assertThat(fixture.learner.of(id)).isEmpty();
            c.select("Junk");
            c.move(id, "INBOX");
            awaitLearned(id, LearnClass.HAM);
        }
    }

    @Test
    void aJunkFolderNamedSpamWithTheJunkFlagIsWatched() throws Exception {
        try (DovecotServer spamServer = DovecotServer.builder().user("carol", "carol-pw").mailbox("Spam", "\\Junk").start()) {
            fixture = new WatcherFixture(tmp, config(account("carol", spamServer.imapPort(), "carol", "carol-pw")
                    + "junk_folders = [\"Junk\"];\n")); // names don't matter when the server flags \Junk
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            try (RawImapClient c = RawImapClient.login(spamServer, "carol", "carol-pw")) {
                String id = inInbox(c);
                c.select("INBOX");
                c.move(id, "Spam");
                awaitLearned(id, LearnClass.SPAM);
                c.select("Spam");
                c.move(id, "INBOX");
                awaitLearned(id, LearnClass.SPAM, LearnClass.HAM);
            }
            fixture.close();
        }
    }

    @Test
    void aSecondUsersMovesAreLearnedUnderThatUserOnly() throws Exception {
        fixture = new WatcherFixture(tmp, config("per_user = true;\n" + account("alice", server().imapPort(), "alice", "alice-pw")
                + account("bob", server().imapPort(), "bob", "bob-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient bob = RawImapClient.login(server(), "bob", "bob-pw")) {
            String id = inInbox(bob);
            bob.select("INBOX");
            bob.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            barrier(bob);
        }
        assertThat(fixture.learner.all()).hasSize(2).allSatisfy(l -> {
            assertThat(l.user()).isEqualTo("bob");
            assertThat(l.source()).isEqualTo("imap-watcher");
        });
        await().atMost(LEARN_WITHIN).until(() -> fixture.status("bob").learnedSpam() == 2);
        assertThat(fixture.status("alice").learnedSpam()).isZero();
    }

    @Test
    void movesMadeWhileTheWatcherWasStoppedAreLearnedExactlyOnceAtStart() throws Exception {
        watchAlice();
        String toJunk1;
        String toJunk2;
        String rescued;
        try (RawImapClient c = alice()) {
            toJunk1 = inInbox(c);
            toJunk2 = inInbox(c);
            rescued = inInbox(c);
            c.select("INBOX");
            c.move(rescued, "Junk");
            awaitLearned(rescued, LearnClass.SPAM);
            fixture.stop();

            c.select("INBOX");
            c.move(toJunk1, "Junk");
            c.copyDeleteExpunge(toJunk2, "Junk");
            c.select("Junk");
            c.move(rescued, "Archive");
        }
        int before = fixture.learner.all().size();
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        awaitLearned(toJunk1, LearnClass.SPAM);
        awaitLearned(toJunk2, LearnClass.SPAM);
        awaitLearned(rescued, LearnClass.SPAM, LearnClass.HAM);
        assertThat(fixture.learner.all()).hasSize(before + 3);

        // and once more: a restart without moves learns nothing new
        fixture.stop();
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient c = alice()) {
            barrier(c);
        }
        assertThat(fixture.learner.all()).hasSize(before + 3 + 1);
        assertThat(fixture.movesDecided("alice")).as("only the barrier").isEqualTo(1);
    }

    @Test
    void afterDovecotRestartsDuringIdleTheWatcherReconnectsAndLearnsTheNextMove() throws Exception {
        watchAlice();
        server().restart();
        await().atMost(LEARN_WITHIN).until(() -> fixture.status("alice").errors() > 0);
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
        }
    }

    @Test
    void aWrongPasswordFailsThatAccountClearlyWhileOthersKeepWorking() throws Exception {
        fixture = new WatcherFixture(tmp, config(account("alice", server().imapPort(), "alice", "alice-pw")
                + account("bob", server().imapPort(), "bob", "not-bobs-password")));
        fixture.start();
        await().atMost(LEARN_WITHIN).until(() -> fixture.status("bob").state() == Connection.AUTH_FAILED
                && fixture.status("alice").state() == Connection.IDLE);
        assertThat(fixture.status("bob").lastError()).contains("authentication failed for bob at 127.0.0.1:" + server().imapPort());
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
        }
        assertThat(fixture.status("bob").learnedSpam()).isZero();
    }

    @Test
    void dovecotMasterUserModeWatchesEveryListedUser() throws Exception {
        Path users = Files.writeString(tmp.resolve("users"), "alice\nbob\n");
        fixture = new WatcherFixture(tmp, config("host = \"127.0.0.1\"; port = " + server().imapPort() + "; tls = \"none\";\n"
                + "per_user = true;\nmaster_user = \"mailsift\"; master_password = \"master-pw\";\nusers_file = \"" + users + "\";\n"));
        fixture.start();
        await().atMost(LEARN_WITHIN).until(() -> fixture.watcher.status().size() == 2);
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient bob = RawImapClient.login(server(), "bob", "bob-pw")) {
            String id = inInbox(bob);
            bob.select("INBOX");
            bob.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
            assertThat(fixture.learner.of(id).get(0).user()).isEqualTo("bob");
        }
    }

    @Test
    void statusIsWrittenForTheCli() throws Exception {
        watchAlice();
        try (RawImapClient c = alice()) {
            String id = inInbox(c);
            c.select("INBOX");
            c.move(id, "Junk");
            awaitLearned(id, LearnClass.SPAM);
        }
        Path file = WatcherStatusFile.in(fixture.dataDir);
        await().atMost(LEARN_WITHIN).until(() -> Files.exists(file)
                && WatcherStatusFile.read(file).stream().anyMatch(a -> a.learnedSpam() == 1));
        List<AccountStatus.AccountSnapshot> read = WatcherStatusFile.read(file);
        assertThat(read).singleElement().satisfies(a -> {
            assertThat(a.account()).isEqualTo("alice");
            assertThat(a.state()).isEqualTo(Connection.IDLE);
            assertThat(a.lastEvent()).contains("learned spam");
        });
        assertThat(fixture.metrics.renderPrometheus())
                .contains("mailsift_imap_watcher_learns_total{account=\"alice\",class=\"spam\",outcome=\"learned\"} 1.0");
    }
}
