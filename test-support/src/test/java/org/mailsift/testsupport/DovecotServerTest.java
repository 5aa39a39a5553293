package org.mailsift.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DovecotServerTest {
    @RegisterExtension
    static DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder()
            .user("alice", "alice-pw")
            .user("bob", "bob-pw")
            .masterUser("watcher", "master-pw")
            .mailbox("Spam", "\\Junk")
            .mailbox("Archive", "\\Archive")
            .lmtp());

    private static final byte[] MESSAGE = ("From: a@example.test\r\nTo: alice@example.test\r\nSubject: hi\r\n"
            + "Message-ID: <m1@example.test>\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void junkFolderNamedSpamCarriesTheJunkFlagAndReplacesJunk() {
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            List<String> list = c.ok("LIST \"\" \"*\" RETURN (SPECIAL-USE)");
            assertThat(list).anyMatch(l -> l.contains("\\Junk") && l.endsWith("Spam"));
            assertThat(list).anyMatch(l -> l.contains("\\Trash") && l.endsWith("Trash"));
            assertThat(list).anyMatch(l -> l.contains("\\Archive") && l.endsWith("Archive"));
            assertThat(list).noneMatch(l -> l.endsWith("Junk"));
            assertThat(c.ok("CAPABILITY").get(0)).contains("IDLE", "MOVE", "UIDPLUS", "SPECIAL-USE");
        }
    }

    @Test
    void appendedMailLandsInTheUsersMaildirAndSurvivesARestart() throws Exception {
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "bob", "bob-pw")) {
            c.append("INBOX", MESSAGE);
        }
        Path maildir = dovecot.server().maildir("bob");
        try (var files = Files.list(maildir.resolve("new"))) {
            assertThat(files.count()).isEqualTo(1);
        }
        int port = dovecot.server().imapPort();
        dovecot.server().restart();
        assertThat(dovecot.server().imapPort()).isEqualTo(port);
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "bob", "bob-pw")) {
            assertThat(c.messages("INBOX")).isEqualTo(1);
        }
    }

    @Test
    void masterUserLogsInAsAnyUser() {
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice*watcher", "master-pw")) {
            assertThat(c.messages("Spam")).isZero();
        }
        assertThat(dovecot.server().doveadm("user", "*")).contains("alice", "bob");
    }

    @Test
    void wrongPasswordIsRefused() {
        try (RawImapClient c = new RawImapClient(dovecot.server().host(), dovecot.server().imapPort())) {
            List<String> reply = c.command("LOGIN alice wrong");
            assertThat(reply.get(reply.size() - 1)).contains("NO");
        }
    }

    @Test
    void lmtpDeliversIntoInbox() throws Exception {
        try (Socket s = new Socket(dovecot.server().host(), dovecot.server().lmtpPort())) {
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream o = s.getOutputStream();
            assertThat(r.readLine()).startsWith("220");
            for (String cmd : List.of("LHLO t", "MAIL FROM:<a@example.test>", "RCPT TO:<alice>", "DATA")) {
                o.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                o.flush();
                String line;
                do {
                    line = r.readLine();
                } while (line.charAt(3) == '-');
                assertThat(line).matches("[23]\\d\\d .*");
            }
            o.write(MESSAGE);
            o.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            assertThat(r.readLine()).startsWith("250");
        }
        try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
            assertThat(c.messages("INBOX")).isGreaterThanOrEqualTo(1);
        }
    }
}
