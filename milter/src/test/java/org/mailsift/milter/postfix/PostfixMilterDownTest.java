package org.mailsift.milter.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.TestScanner;
import org.mailsift.milter.server.MilterServer;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/** When the daemon is gone, Postfix falls back to its own {@code milter_default_action}; mail is never stuck. */
class PostfixMilterDownTest {
    private static PostfixServer postfix;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        MilterSettings d = MilterSettings.defaults();
        MilterServer milter = new MilterServer(d.withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0))),
                new TestScanner(null), new Metrics());
        port = ((InetSocketAddress) milter.start().get(0)).getPort();
        postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port).milterDefaultAction("accept"));
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message("while up")).code()).isEqualTo(250);
        }
        assertThat(Files.readString(postfix.awaitDelivered("alice", 1, Duration.ofSeconds(20)).get(0))).contains("X-Spamd-Result");
        milter.close(); // the daemon stops; Postfix keeps pointing at it
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            postfix.close();
        }
    }

    @Test
    void daemonStoppedMeansPostfixAppliesItsDefaultAction() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message("while down")).code()).isEqualTo(250);
        }
        List<java.nio.file.Path> files = postfix.awaitDelivered("alice", 2, Duration.ofSeconds(20));
        String unscanned = files.stream().map(PostfixMilterDownTest::read).filter(t -> t.contains("Subject: while down"))
                .findFirst().orElseThrow();
        assertThat(unscanned).doesNotContain("X-Spamd-Result");

        postfix.reconfigure(Map.of("milter_default_action", "tempfail"));  // returns once the master has reloaded
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
            SmtpClient.Reply reply = smtp.send("carol@sender.test", List.of("alice@example.test"), message("tempfailed"));
            assertThat(reply.code()).isEqualTo(451);
        }
    }

    private static String read(java.nio.file.Path p) {
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
