package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.MessageIDTerm;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnException;
import org.mailsift.imapwatcher.AccountStatus.Connection;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * Fast checks of the detector against GreenMail, a server without SPECIAL-USE: Junk and Trash are found by name,
 * moves are made by another jakarta.mail client, as a user's mail program would.
 */
class GreenMailJunkMoveTest {
    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path tmp;

    private WatcherFixture fixture;
    private Store client;

    @BeforeEach
    void setUp() throws Exception {
        greenMail.setUser("erin@example.test", "erin", "erin-pw");
        client = Session.getInstance(new Properties()).getStore("imap");
        client.connect("127.0.0.1", greenMail.getImap().getPort(), "erin", "erin-pw");
        for (String name : new String[]{"Junk", "Trash"}) {
            Folder f = client.getFolder(name);
            if (!f.exists()) {
                f.create(Folder.HOLDS_MESSAGES);
            }
        }
        fixture = new WatcherFixture(tmp, WatcherFixture.config(WatcherFixture.account("erin", greenMail.getImap().getPort(), "erin", "erin-pw")));
        fixture.start();
        fixture.awaitState(Connection.IDLE);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        client.close();
    }

    private String deliverToInbox() throws Exception {
        String id = WatcherFixture.newMessageId();
        Folder inbox = client.getFolder("INBOX");
        inbox.appendMessages(new Message[]{new MimeMessage(null, new ByteArrayInputStream(WatcherFixture.message(id, "gm")))});
        return id;
    }

    private void move(String id, String from, String to) throws Exception {
        IMAPFolder f = (IMAPFolder) client.getFolder(from);
        f.open(Folder.READ_WRITE);
        try {
            Message[] m = f.search(new MessageIDTerm(id));
            assertThat(m).hasSize(1);
            f.moveMessages(m, client.getFolder(to));
        } finally {
            f.close(true);
        }
    }

    @Test
    void junkFoundByNameLearnsSpamThenHamOnRescue() throws Exception {
        String id = deliverToInbox();
        move(id, "INBOX", "Junk");
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 1);
        move(id, "Junk", "INBOX");
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 2);
        assertThat(fixture.learner.of(id)).extracting(RecordingLearner.Learned::learnClass).containsExactly(LearnClass.SPAM, LearnClass.HAM);
    }

    @Test
    void junkToTrashByNameLearnsNothing() throws Exception {
        String id = deliverToInbox();
        move(id, "INBOX", "Junk");
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 1);
        move(id, "Junk", "Trash");
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(fixture.status("erin").lastEvent()).contains("to Trash, not learned"));
        assertThat(fixture.learner.of(id)).hasSize(1);
    }

    @Test
    void learnsAreRetriedWhileTheStoreIsDown() throws Exception {
        fixture.learner.failWith(new LearnException("store down", null), 2);
        String id = deliverToInbox();
        move(id, "INBOX", "Junk");
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.learner.of(id).size() == 1);
        assertThat(fixture.learner.attempts()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status("erin").learnedSpam() == 1);
    }
}
