package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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
 * Real spam has headers no parser expects (corpus spam 00297: {@code Date: ... -1600} and
 * {@code To: <C:`Bulk...>}). Dovecot answers with a valid ENVELOPE for it, which angus-mail cannot parse; the watcher
 * must still learn it, and above all must keep learning everything that follows.
 */
class DovecotOddMessageTest {
    private static final Duration LEARN_WITHIN = Duration.ofSeconds(5);
    private static final String ODD_ID = "<odd-headers.20020913@mailsift.test>";

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw"));

    @TempDir
    Path tmp;

    private WatcherFixture fixture;

    @AfterEach
    void stopWatcher() throws Exception {
        if (fixture != null) {
            fixture.close();
        }

    }

    private static byte[] oddMessage() throws IOException {
        try (InputStream in = DovecotOddMessageTest.class.getResourceAsStream("/fixtures/odd-envelope.eml")) {
            return in.readAllBytes();
        }
    }

    private void awaitLearned(String id, LearnClass... classes) {
        await().atMost(LEARN_WITHIN).pollInterval(Duration.ofMillis(10))
                .until(() -> fixture.learner.of(id).size() >= classes.length);
        assertThat(fixture.learner.of(id)).extracting(RecordingLearner.Learned::learnClass).containsExactly(classes);
    }

    @Test
    void spamWithAnUnparseableEnvelopeIsLearnedAndTheAccountKeepsLearning() throws Exception {
        fixture = new WatcherFixture(tmp, config(account("alice", dovecot.server().imapPort(), "alice", "alice-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            c.append("INBOX", oddMessage());
            c.select("INBOX");
            c.move(ODD_ID, "Junk");
            awaitLearned(ODD_ID, LearnClass.SPAM);

            String next = newMessageId();
            c.append("INBOX", message(next, "the next one"));
            c.move(next, "Junk");
            awaitLearned(next, LearnClass.SPAM);

            c.select("Junk");
            c.move(ODD_ID, "INBOX");
            awaitLearned(ODD_ID, LearnClass.SPAM, LearnClass.HAM);
        }
        assertThat(fixture.status("alice").state()).isEqualTo(Connection.IDLE);
        assertThat(fixture.status("alice").errors()).isZero();
    }

    @Test
    void aMessageTheServerDropsTheConnectionOverIsGivenUpAndTheAccountKeepsLearning() throws Exception {
        fixture = new WatcherFixture(tmp, config(account("alice", dovecot.server().imapPort(), "alice", "alice-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE); // the baseline: Junk is empty
        fixture.stop();

        String broken = newMessageId();
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            c.append("Junk", message(broken, "a file the IMAP server cannot open"));
        }
        Path file;
        try (Stream<Path> files = Files.walk(dovecot.server().maildir("alice").resolve(".Junk"))) {
            file = files.filter(p -> Files.isRegularFile(p) && (p.getParent().endsWith("new") || p.getParent().endsWith("cur")))
                    .findFirst().orElseThrow();
        }
        // Dovecot's mail processes (user mail) can no longer open it: Dovecot logs an error and closes the connection
        Files.setPosixFilePermissions(file, Set.of());

        fixture.start(); // catches up: reading the broken arrival fails until it is given up, then the account IDLEs
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            String next = newMessageId();
            c.append("Junk", message(next, "a readable one"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fixture.learner.of(next).size() == 1);
        }
        long errors = fixture.status("alice").errors();
        // and it is not retried forever: the passes that learn two more arrivals add no error
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            for (String later : List.of(newMessageId(), newMessageId())) {
                c.append("Junk", message(later, "another readable one"));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .until(() -> fixture.learner.of(later).size() == 1);
            }
        }
        assertThat(fixture.status("alice").errors()).isEqualTo(errors);
        assertThat(fixture.status("alice").state()).isEqualTo(Connection.IDLE);
        assertThat(fixture.learner.of(broken)).isEmpty();
    }

    @Test
    void anOddMessageAlreadyInJunkAtFirstStartDoesNotStopTheWatcher() throws Exception {
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            c.append("Junk", oddMessage()); // the baseline at first start reads it without learning
        }
        fixture = new WatcherFixture(tmp, config(account("alice", dovecot.server().imapPort(), "alice", "alice-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            c.select("Junk");
            c.move(ODD_ID, "INBOX");
            awaitLearned(ODD_ID, LearnClass.HAM);
        }
        assertThat(fixture.learner.of(ODD_ID)).extracting(RecordingLearner.Learned::learnClass).containsExactly(LearnClass.HAM);
    }
}
