package org.mailsift.milter.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterLimits;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.TestScanner;
import org.mailsift.milter.server.MilterServer;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * A message that goes over a milter limit (here max_recipients = 1) closes the milter connection, and the real
 * Postfix then applies its milter_default_action: accept delivers it unscanned, tempfail answers 451.
 */
class PostfixMilterLimitTest {
    private static PostfixServer postfix;
    private static MilterServer milter;

    @BeforeAll
    static void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        MilterLimits d = MilterLimits.defaults();
        MilterSettings settings = MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0)))
                .withLimits(new MilterLimits(d.maxHeaders(), 1, d.maxAddressBytes(), d.maxMacroBytes(), d.maxConnections(),
                        d.maxConnectionsPerIp(), d.packetTimeout()));
        milter = new MilterServer(settings, new TestScanner(null), new Metrics());
        int port = ((InetSocketAddress) milter.start().get(0)).getPort();
        postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port).milterDefaultAction("accept"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            postfix.close();
        }
        if (milter != null) {
            milter.close();
        }
    }

    @Test
    void aMessageOverMaxRecipientsGetsPostfixsDefaultAction() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message("one recipient")).code()).isEqualTo(250);
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test", "bob@example.test"), message("two recipients"))
                    .code()).isEqualTo(250);
        }
        List<Path> alice = postfix.awaitDelivered("alice", 2, Duration.ofSeconds(20));
        assertThat(alice.stream().map(PostfixMilterLimitTest::read).filter(t -> t.contains("Subject: one recipient")).findFirst()
                .orElseThrow()).contains("X-Spamd-Result");
        assertThat(alice.stream().map(PostfixMilterLimitTest::read).filter(t -> t.contains("Subject: two recipients")).findFirst()
                .orElseThrow()).as("passed unscanned by milter_default_action = accept").doesNotContain("X-Spamd-Result");
        assertThat(postfix.awaitDelivered("bob", 1, Duration.ofSeconds(20))).hasSize(1);

        postfix.reconfigure(Map.of("milter_default_action", "tempfail"));
        // the reload reaches each smtpd when its session ends: send until one with the new setting answers
        SmtpClient.Reply reply = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((reply == null || reply.code() == 250) && System.nanoTime() < deadline) {
            try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
                reply = smtp.send("carol@sender.test", List.of("alice@example.test", "bob@example.test"), message("tempfailed"));
            }
        }
        assertThat(reply.code()).as(String.valueOf(reply)).isEqualTo(451);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] message(String subject) {
        return ("From: carol@sender.test\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
