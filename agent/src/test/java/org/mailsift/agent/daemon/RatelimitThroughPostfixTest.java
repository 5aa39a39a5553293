package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.FreePort;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * ratelimit.conf behind a real Postfix whose clients log in with SASL (AUTH PLAIN, checked by a real Dovecot through
 * Postfix's {@code smtpd_sasl_type = dovecot}): Postfix hands the login to the milter as {auth_authen}, the rate
 * {@code selector = "user"} keys a bucket per login, and the 101st message of a burst of 100 is answered 451 with
 * Rspamd's text. The bucket leaks 1 an hour here so that how long the machine takes to send 101 messages cannot
 * matter; the leak itself ({@code "1 / 1m"}) is tested with a clock in RatelimitTest.
 */
class RatelimitThroughPostfixTest {
    @TempDir
    Path dir;

    private static byte[] message(int n) {
        return ("From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: note " + n + "\r\n"
                + "Message-ID: <note-" + n + "@example.test>\r\nDate: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\n"
                + "Bob, here is note number " + n + " about the meeting schedule for next week.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anAuthenticatedSendersHundredAndFirstMessageIsDeferredWith451() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Assumptions.assumeTrue(DovecotServer.available(), "no private Dovecot here (SASL)");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/ratelimit.conf"), """
                rates {
                  sasl_user { selector = "user"; bucket = { burst = 100; rate = "1 / 1h"; } }
                }
                """);
        int authPort = FreePort.onLoopback();
        try (DovecotServer dovecot = DovecotServer.builder().user("alice", "s3cret")
                .extraConfig("service auth {\n  inet_listener {\n    address = 127.0.0.1\n    port = " + authPort
                        + "\n  }\n}")
                .start();
             AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_sasl_auth_enable", "yes")
                    .set("smtpd_sasl_type", "dovecot")
                    .set("smtpd_sasl_path", "inet:127.0.0.1:" + authPort))) {
                try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "laptop.example.test")) {
                    String plain = Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.US_ASCII));
                    assertThat(smtp.command("AUTH PLAIN " + plain).code()).as(postfix.log()).isEqualTo(235);
                    for (int i = 1; i <= 100; i++) {
                        SmtpClient.Reply r = smtp.send("alice@example.test", List.of("bob@example.test"), message(i));
                        assertThat(r.code()).as("message %d: %s", i, r).isEqualTo(250);
                    }
                    SmtpClient.Reply limited = smtp.send("alice@example.test", List.of("bob@example.test"), message(101));
                    assertThat(limited.code()).isEqualTo(451);
                    assertThat(limited.text()).isEqualTo("4.7.1 Ratelimit \"sasl_user\" exceeded");
                    smtp.reset();
                }
                try (SmtpClient anonymous = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "mx.other.test")) {
                    assertThat(anonymous.send("carol@other.test", List.of("bob@example.test"), message(102)).code())
                            .as("no login: the rate keyed by the login does not apply").isEqualTo(250);
                }
                assertThat(postfix.log()).contains("sasl_username=alice");
            }
        }
    }
}
