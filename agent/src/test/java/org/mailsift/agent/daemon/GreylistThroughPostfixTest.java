package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * Greylisting with the shipped greylist.conf against the real peer: a sending Postfix relays a message to a receiving
 * Postfix whose milter is ours; the first attempt is answered 451 4.7.1 "Try again later", the sending Postfix keeps
 * the message in its queue and retries, and once the greylisting period is over the retry is delivered.
 * The test shortens what a real deployment waits: greylist {@code timeout}, Postfix's backoff times. The relay
 * connects from 127.0.0.1, a local address, so {@code check_local} is on.
 */
class GreylistThroughPostfixTest {
    @TempDir
    Path dir;

    private static byte[] message() {
        return ("From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: the offer\r\n"
                + "Message-ID: <offer-1@sender.test>\r\nDate: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\n"
                + "Dear Alice, here is the offer we talked about on the phone. Regards, Carol\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aGreylistedMessageIsRetriedByTheSendingPostfixAndDeliveredOnceTheTimeoutHasPassed() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/actions.conf"), "greylist = -100;\n"); // every message is greylist material
        Files.writeString(etc.resolve("local.d/greylist.conf"), "timeout = 2s;\ncheck_local = true;\n");
        List<ScanResult> scanned = new CopyOnWriteArrayList<>();
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            context.addScanListener((source, envelope, raw, result) -> {
                if (source == ScanListener.ScanSource.MILTER) {
                    scanned.add(result);
                }
            });
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer receiving = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port));
                 PostfixServer sending = PostfixServer.start(PostfixServer.options()
                         .set("myhostname", "relay.sender.test")
                         .set("virtual_mailbox_domains", "")
                         .set("relayhost", "[127.0.0.1]:" + receiving.smtpPort())
                         .set("minimal_backoff_time", "1s")
                         .set("maximal_backoff_time", "2s")
                         .set("queue_run_delay", "1s"))) {
                try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", sending.smtpPort(), "laptop.sender.test")) {
                    assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message()).code()).isEqualTo(250);
                }
                Path delivered;
                try {
                    // the sending Postfix retries by itself (backoff 1-2 s); a flush on each poll keeps a loaded
                    // machine's queue manager from stretching that
                    delivered = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                            .until(() -> {
                                List<Path> files = receiving.delivered("alice");
                                if (files.isEmpty()) {
                                    sending.flushQueue();
                                }
                                return files;
                            }, files -> files.size() == 1).get(0);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("not delivered; scans: " + scanned.stream().map(r -> r.action().wireName()).toList()
                            + "\nsending Postfix:\n" + sending.log() + "\nreceiving Postfix:\n" + receiving.log(), e);
                }

                assertThat(scanned.get(0).action().wireName()).isEqualTo("soft reject");
                assertThat(scanned.get(0).smtpMessage()).isEqualTo("Try again later");
                assertThat(sending.log()).contains("451 4.7.1 Try again later").contains("status=deferred")
                        .contains("status=sent");
                ScanResult passed = scanned.get(scanned.size() - 1);
                assertThat(passed.action().wireName()).isEqualTo("no action");
                assertThat(passed.symbols()).anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("GREYLIST");
                    assertThat(s.options()).containsExactly("pass", "body");
                });
                // the relay is a local client: milter_headers' skip_local leaves X-Spamd-Result out of the delivered copy
                assertThat(Files.readString(delivered, StandardCharsets.US_ASCII)).contains("Message-ID: <offer-1@sender.test>");
            }
        }
    }
}
