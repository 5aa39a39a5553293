package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * The shipped replies.conf behind a real Postfix: Alice, logged in (XCLIENT LOGIN, which Postfix hands to the milter
 * as {auth_authen} like a SASL login), writes to Bob; Bob's answer, arriving from outside, gets REPLY (-4), and a
 * message from outside that names a Message-ID nobody here sent does not.
 */
class RepliesThroughPostfixTest {
    @TempDir
    Path dir;

    private static void send(PostfixServer postfix, String xclient, String from, String to, String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command(xclient).code()).isEqualTo(220);
            assertThat(smtp.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(smtp.send(from, List.of(to), message.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)).code())
                    .isEqualTo(250);
        }
    }

    @Test
    void anAnswerToWhatALoggedInUserSentGetsReply() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/greylist.conf"), "enabled = false;\n");
        Map<String, ScanResult> scanned = new ConcurrentHashMap<>();
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            context.addScanListener((source, envelope, raw, result) -> {
                if (source == ScanListener.ScanSource.MILTER) {
                    scanned.put(result.messageId(), result);
                }
            });
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8"))) {
                send(postfix, "XCLIENT ADDR=203.0.113.20 NAME=[UNAVAILABLE] LOGIN=alice", "alice@example.test",
                        "bob@example.test", """
                        From: Alice <alice@example.test>
                        To: Bob <bob@example.test>
                        Subject: lunch on Friday
                        Message-ID: <lunch-1@example.test>
                        Date: Thu, 03 Dec 2026 12:00:00 +0000

                        Bob, shall we have lunch on Friday? Alice
                        """);
                await().atMost(Duration.ofSeconds(20)).until(() -> scanned.containsKey("lunch-1@example.test"));
                send(postfix, "XCLIENT ADDR=198.51.100.9 NAME=[UNAVAILABLE]", "bob@example.test", "alice@example.test", """
                        From: Bob <bob@example.test>
                        To: Alice <alice@example.test>
                        Subject: Re: lunch on Friday
                        Message-ID: <re-lunch-1@partner.test>
                        In-Reply-To: <lunch-1@example.test>
                        References: <lunch-1@example.test>
                        Date: Thu, 03 Dec 2026 12:30:00 +0000

                        Friday is fine, see you at noon. Bob
                        """);
                send(postfix, "XCLIENT ADDR=198.51.100.9 NAME=[UNAVAILABLE]", "bob@example.test", "alice@example.test", """
                        From: Bob <bob@example.test>
                        To: Alice <alice@example.test>
                        Subject: Re: your invoice
                        Message-ID: <re-invoice@partner.test>
                        In-Reply-To: <invoice-77@example.test>
                        Date: Thu, 03 Dec 2026 12:31:00 +0000

                        Which invoice? Bob
                        """);
                List<Path> delivered = postfix.awaitDelivered("alice", 2, Duration.ofSeconds(30));
                assertThat(scanned.get("re-lunch-1@partner.test").hasSymbol("REPLY")).isTrue();
                assertThat(scanned.get("re-invoice@partner.test").hasSymbol("REPLY")).isFalse();
                assertThat(delivered.stream().map(RepliesThroughPostfixTest::read))
                        .anySatisfy(m -> assertThat(m).contains("re-lunch-1@partner.test").contains("REPLY(-4.00)"));
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
