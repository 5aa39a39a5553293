package org.mailsift.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DovecotSieveTest {
    @TempDir
    Path tmp;

    @Test
    void sieveBeforeFilesSpamIntoJunkAndImapSieveRunsPipeScripts() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path before = Files.writeString(tmp.resolve("spam-to-junk.sieve"),
                "require [\"fileinto\"];\nif header :is \"X-Spam\" \"Yes\" { fileinto \"Junk\"; stop; }\n");
        Path report = Files.writeString(tmp.resolve("report-spam.sieve"),
                "require [\"vnd.dovecot.pipe\", \"copy\", \"imapsieve\"];\npipe :copy \"mark.sh\";\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path marker = tmp.resolve("marker");
        Files.writeString(bin.resolve("mark.sh"), "#!/bin/sh\ncat > " + marker + "\n");
        Files.setPosixFilePermissions(bin.resolve("mark.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (DovecotServer s = DovecotServer.builder().user("alice", "pw").lmtp().sieveBefore(before)
                .imapSieveRule("Junk", null, "COPY APPEND", report).sievePipeBinDir(bin).start()) {
            lmtp(s, "X-Spam: Yes\r\nSubject: s\r\nMessage-ID: <s1@x>\r\n\r\nbody\r\n");
            try (RawImapClient c = RawImapClient.login(s, "alice", "pw")) {
                assertThat(c.messages("Junk")).isEqualTo(1);
                c.append("INBOX", "Subject: h\r\nMessage-ID: <h1@x>\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
                c.select("INBOX");
                c.move("<h1@x>", "Junk");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.exists(marker) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(marker).content().contains("<h1@x>");
        }
    }

    private static void lmtp(DovecotServer s, String message) throws Exception {
        try (Socket sock = new Socket(s.host(), s.lmtpPort())) {
            BufferedReader r = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream o = sock.getOutputStream();
            r.readLine();
            for (String cmd : List.of("LHLO t", "MAIL FROM:<a@x>", "RCPT TO:<alice>", "DATA")) {
                o.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String line;
                do {
                    line = r.readLine();
                } while (line.charAt(3) == '-');
            }
            o.write((message + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(r.readLine()).startsWith("250");
        }
    }
}
