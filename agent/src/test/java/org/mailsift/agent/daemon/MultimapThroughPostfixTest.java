package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * multimap.conf behind a real Postfix: a sender listed in a local.d/maps file is rejected (5xx with the rule's
 * message), a soft reject rule answers 4xx, an edited map file applies to the next message without a restart, and a
 * changed multimap.conf applies on reload.
 */
class MultimapThroughPostfixTest {
    @TempDir
    Path dir;

    private static String message(String id) {
        return "From: <sender@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: hello " + id + "\r\n"
                + "Message-ID: <" + id + "@sender.test>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\n"
                + "The minutes of Friday's meeting, as promised.\r\n";
    }

    @Test
    void senderInAMapFileIsRejectedAndAnEditedMapAppliesWithoutRestart() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "needs root and Postfix");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/options.inc"), "dns { enabled = false; }\nmap_watch_interval = 0.1s;\n");
        Path maps = Files.createDirectories(etc.resolve("local.d/maps"));
        writeAtomically(maps.resolve("bad_senders.map"), "# blocked senders\nspammer@bad.test\n");
        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                BLOCKED_SENDERS {
                  type = "from";
                  filter = "email:addr";
                  map = "${LOCAL_CONFDIR}/local.d/maps/bad_senders.map";
                  prefilter = true;
                  action = "reject";
                  message = "Sender blocked by site policy";
                }
                SLOW_DOWN {
                  type = "from";
                  filter = "email:domain";
                  map = ["later.test"];
                  prefilter = true;
                  action = "soft reject";
                  message = "Try again in an hour";
                }
                """);
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8"))) {
                SmtpClient.Reply rejected = send(postfix, "spammer@bad.test", message("m1"));
                assertThat(rejected.code()).as(rejected.toString()).isBetween(500, 599);
                assertThat(rejected.toString()).contains("Sender blocked by site policy");
                SmtpClient.Reply later = send(postfix, "someone@later.test", message("m2"));
                assertThat(later.code()).as(later.toString()).isBetween(400, 499);
                assertThat(later.toString()).contains("Try again in an hour");
                assertThat(send(postfix, "friend@good.test", message("m3")).code()).isEqualTo(250);

                // the admin edits the map (atomic rename, as Rspamd recommends): no restart, no reload
                writeAtomically(maps.resolve("bad_senders.map"), "# blocked senders\nfriend@good.test\n");
                await().atMost(Duration.ofSeconds(60)).until(() -> verdictFor(context, "friend@good.test") == Action.REJECT);
                SmtpClient.Reply nowRejected = send(postfix, "friend@good.test", message("m4"));
                assertThat(nowRejected.code()).as(nowRejected.toString()).isBetween(500, 599);
                assertThat(send(postfix, "spammer@bad.test", message("m5")).code()).isEqualTo(250);

                // a changed multimap.conf applies on reload (SIGHUP): the soft reject rule is gone
                Files.writeString(etc.resolve("local.d/multimap.conf"), """
                        BLOCKED_SENDERS {
                          type = "from";
                          map = "${LOCAL_CONFDIR}/local.d/maps/bad_senders.map";
                          prefilter = true;
                          action = "reject";
                        }
                        """);
                context.reloadEngine(ConfigDirectory.open(etc));
                assertThat(send(postfix, "someone@later.test", message("m6")).code()).isEqualTo(250);
                SmtpClient.Reply defaultMessage = send(postfix, "friend@good.test", message("m7"));
                assertThat(defaultMessage.code()).isBetween(500, 599);
                assertThat(defaultMessage.toString()).contains("Matched map: BLOCKED_SENDERS");
                postfix.awaitDelivered("alice", 3, Duration.ofSeconds(30));
            }
        }
    }

    private static Action verdictFor(AgentContext context, String sender) {
        Envelope env = Envelope.builder().clientIp("203.0.113.50").mailFrom(sender).addRcpt("alice@example.test").build();
        return context.scanner().scan(message("probe").getBytes(StandardCharsets.UTF_8), env).action();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static SmtpClient.Reply send(PostfixServer postfix, String sender, String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command("XCLIENT ADDR=203.0.113.50 NAME=mail.sender.test HELO=mail.sender.test").code())
                    .isEqualTo(220);
            assertThat(smtp.command("EHLO mail.sender.test").code()).isEqualTo(250);
            return smtp.send(sender, List.of("alice@example.test"), message.getBytes(StandardCharsets.UTF_8));
        }
    }
}
