package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

class DovecotResyncAndPollingTest {
    @TempDir
    Path tmp;

    private WatcherFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aRecreatedJunkFolderIsResynchronisedWithoutRelearningItsContents() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        try (DovecotServer server = DovecotServer.builder().user("alice", "pw").start()) {
            fixture = new WatcherFixture(tmp, config(account("alice", server.imapPort(), "alice", "pw")));
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            fixture.stop();
            try (RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
                // e.g. a restored backup or a migrated mailbox: new UIDVALIDITY, many messages at once
                c.ok("DELETE Junk");
                c.ok("CREATE Junk");
                for (int i = 0; i < 5; i++) {
                    c.append("Junk", message(newMessageId(), "restored " + i));
                }
            }
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(fixture.status("alice").lastEvent()).contains("UIDVALIDITY"));
            String id = newMessageId();
            try (RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
                c.append("INBOX", message(id, "after resync"));
                c.select("INBOX");
                c.move(id, "Junk");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 1);
            assertThat(fixture.learner.all()).singleElement().extracting(RecordingLearner.Learned::learnClass).isEqualTo(LearnClass.SPAM);
        }
    }

    @Test
    void withoutIdleTheWatcherPolls() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        // a server that does not announce IDLE (Dovecot's capability list without it)
        try (DovecotServer server = DovecotServer.builder().user("alice", "pw")
                .extraConfig("imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE NAMESPACE UIDPLUS MOVE SPECIAL-USE CONDSTORE")
                .start()) {
            fixture = new WatcherFixture(tmp, config(account("alice", server.imapPort(), "alice", "pw") + "poll_interval = 0.2s;\n"));
            fixture.start();
            fixture.awaitState(Connection.POLLING);
            String id = newMessageId();
            try (RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
                c.append("INBOX", message(id, "polled"));
                c.select("INBOX");
                c.move(id, "Junk");
                await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 1);
                c.select("Junk");
                c.move(id, "INBOX");
                await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 2);
            }
            assertThat(fixture.learner.of(id)).extracting(RecordingLearner.Learned::learnClass).containsExactly(LearnClass.SPAM, LearnClass.HAM);
        }
    }

    @Test
    void keepaliveNoopsDuringIdleDoNotDisturbWatching() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        try (DovecotServer server = DovecotServer.builder().user("alice", "pw").start()) {
            fixture = new WatcherFixture(tmp, config(account("alice", server.imapPort(), "alice", "pw") + "idle_refresh = 0.4s;\n"));
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            // several NOOPs end and restart IDLE meanwhile
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                    fixture.metrics.counterValue("mailsift_imap_watcher_keepalives_total", "account", "alice") >= 2);
            String id = newMessageId();
            try (RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
                c.append("INBOX", message(id, "after keepalives"));
                c.select("INBOX");
                c.move(id, "Junk");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.learner.of(id).size() == 1);
            assertThat(fixture.status("alice").errors()).isZero();
            assertThat(fixture.status("alice").state()).isEqualTo(Connection.IDLE);
        }
    }
}
