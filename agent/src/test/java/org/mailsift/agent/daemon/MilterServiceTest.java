package org.mailsift.agent.daemon;

import org.mailsift.agent.StockConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/** `mailsift run`'s milter with the real engine and the shipped configuration, behind a real Postfix. */
class MilterServiceTest {
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        // the test's SMTP client is on loopback, which the stock configuration treats as local (no headers)
        Files.writeString(etc.resolve("local.d/milter_headers.conf"), "skip_local = false;\n");
        return etc;
    }

    private static byte[] message(String subject, String body) {
        return ("From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + subject.replace(' ', '.') + "@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n"
                + "X-Spam: Yes\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void postfixDeliversHamWithTheResultHeaderAndRejectsGtube() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        try (AgentContext context = new AgentContext(ConfigDirectory.open(config()), dir.resolve("db"));
             MilterService service = new MilterService()) {
            assertThat(service.enabled(context)).isTrue();
            service.start(context);
            int port = ((InetSocketAddress) service.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port))) {
                try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
                    SmtpClient.Reply rejected = smtp.send("carol@sender.test", List.of("alice@example.test"),
                            message("gtube", "Buy now\r\n" + GTUBE));
                    assertThat(rejected.code()).isEqualTo(554);
                    assertThat(rejected.text()).startsWith("5.7.1 ");
                    assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"),
                            message("lunch on friday", "Hi Alice, lunch on Friday at noon? Carol")).code()).isEqualTo(250);
                }
                Path file = postfix.awaitDelivered("alice", 1, Duration.ofSeconds(20)).get(0);
                String delivered = Files.readString(file);
                assertThat(delivered).contains("Subject: lunch on friday").contains("X-Spamd-Result: default: False [");
                assertThat(delivered).doesNotContain("X-Spam: Yes"); // the sender's spoofed flag is gone
                // the verdict seal survives Postfix's handling, so `mailsift deliver` on this host may trust it
                assertThat(VerdictSeal.open(dir.resolve("db")).verify(Files.readAllBytes(file), Instant.now()))
                        .isEqualTo(VerdictSeal.Check.VALID);
            }
        }
    }
}
