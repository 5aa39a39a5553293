package org.mailsift.milter.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

/**
 * Mail through a real Postfix with our milter in {@code smtpd_milters}: what arrives in the Maildir and what the SMTP
 * client is told is the proof that the protocol, the negotiation and the header edits work with the MTA that matters.
 */
class PostfixMilterTest {
    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static TestScanner scanner;
    private static Metrics metrics;
    private static MilterServer milter;
    private static PostfixServer postfix;
    private static int sequence;

    @BeforeAll
    static void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        scanner = new TestScanner(null);
        metrics = new Metrics();
        MilterSettings settings = MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0)));
        settings = new MilterSettings(settings.bindSockets(), true, settings.scanTimeout(), settings.readTimeout(), false, false,
                "Spam from the test rejected", "Test says later", settings.maxSize(), settings.fallback(),
                settings.maxConcurrentScans(), true, org.mailsift.milter.MilterLimits.defaults());
        milter = new MilterServer(settings, scanner, metrics);
        int port = ((InetSocketAddress) milter.start().get(0)).getPort();
        postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port).milterDefaultAction("tempfail"));
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
    void cleanMailIsDeliveredWithTheScanResultHeader() throws Exception {
        String subject = "clean " + (++sequence);
        try (SmtpClient smtp = smtp()) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message(subject, "Hello Alice.")).code()).isEqualTo(250);
        }
        String delivered = deliveredWithSubject("alice", subject);
        assertThat(delivered).contains("X-Spamd-Result: default: False [0.50 / 15.00];\n\tCLEAN(0.50)");
        assertThat(delivered).doesNotContain("X-Spam: Yes");
        assertThat(delivered).contains("Hello Alice.");
    }

    @Test
    void gtubeIsRejectedAtSmtpWithTheConfiguredText() throws Exception {
        try (SmtpClient smtp = smtp()) {
            SmtpClient.Reply reply = smtp.send("carol@sender.test", List.of("alice@example.test"),
                    message("gtube " + (++sequence), "Spam body\r\n" + TestScanner.GTUBE));
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.text()).isEqualTo("5.7.1 Spam from the test rejected");
        }
    }

    @Test
    void messageInTheAddHeaderBandGetsXSpamYes() throws Exception {
        String subject = "add header " + (++sequence);
        try (SmtpClient smtp = smtp()) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"),
                    message(subject, "Buy now " + TestScanner.ADD_HEADER_MARKER)).code()).isEqualTo(250);
        }
        String delivered = deliveredWithSubject("alice", subject);
        assertThat(delivered).containsOnlyOnce("X-Spam: Yes");
        assertThat(delivered).contains("X-Spamd-Result: default: False [7.00 / 15.00]");
    }

    @Test
    void rewriteSubjectChangesTheSubject() throws Exception {
        String subject = "rewrite me " + (++sequence);
        try (SmtpClient smtp = smtp()) {
            assertThat(smtp.send("carol@sender.test", List.of("bob@example.test"),
                    message(subject, "Cheap " + TestScanner.REWRITE_MARKER)).code()).isEqualTo(250);
        }
        String delivered = deliveredWithSubject("bob", "*** SPAM *** " + subject);
        assertThat(delivered).containsOnlyOnce("Subject:");
    }

    @Test
    void softRejectGivesA451() throws Exception {
        try (SmtpClient smtp = smtp()) {
            SmtpClient.Reply reply = smtp.send("carol@sender.test", List.of("alice@example.test"),
                    message("soft " + (++sequence), TestScanner.SOFT_REJECT_MARKER));
            assertThat(reply.code()).isEqualTo(451);
            assertThat(reply.text()).isEqualTo("4.7.1 Try again later");
        }
    }

    @Test
    void spoofedXSpamOnCleanMailIsGoneAfterDelivery() throws Exception {
        String subject = "spoofed " + (++sequence);
        String headers = "X-Spam: Yes\r\nX-Spamd-Result: default: True [99.00 / 15.00]\r\nX-Spam: Yes\r\n";
        try (SmtpClient smtp = smtp()) {
            assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), message(subject, "I am innocent", headers)).code())
                    .isEqualTo(250);
        }
        String delivered = deliveredWithSubject("alice", subject);
        assertThat(delivered).doesNotContain("X-Spam: Yes").doesNotContain("99.00");
        assertThat(delivered).containsOnlyOnce("X-Spamd-Result: default: False [0.50 / 15.00]");
    }

    @Test
    void twoMessagesOnOneSmtpConnectionAreScannedSeparately() throws Exception {
        String first = "first of two " + (++sequence);
        String second = "second of two " + sequence;
        try (SmtpClient smtp = smtp()) {
            assertThat(smtp.send("carol@sender.test", List.of("bob@example.test"), message(first, "one")).code()).isEqualTo(250);
            SmtpClient.Reply rejected = smtp.send("carol@sender.test", List.of("bob@example.test"),
                    message("gtube between", TestScanner.GTUBE));
            assertThat(rejected.code()).isEqualTo(554);
            assertThat(smtp.send("dave@sender.test", List.of("bob@example.test", "alice@example.test"),
                    message(second, "two " + TestScanner.ADD_HEADER_MARKER)).code()).isEqualTo(250);
        }
        assertThat(deliveredWithSubject("bob", first)).doesNotContain("X-Spam: Yes");
        assertThat(deliveredWithSubject("bob", second)).contains("X-Spam: Yes");
        assertThat(deliveredWithSubject("alice", second)).contains("X-Spam: Yes");
        var envelope = scanner.envelopes.stream().filter(e -> "dave@sender.test".equals(e.mailFrom())).findFirst().orElseThrow();
        assertThat(envelope.rcptTo()).containsExactly("bob@example.test", "alice@example.test");
        assertThat(envelope.clientIp()).isEqualTo("127.0.0.1");
        assertThat(envelope.helo()).isEqualTo("client.sender.test");
        assertThat(envelope.queueId()).isNotBlank();
        assertThat(envelope.mtaName()).isNotBlank();
    }

    private static SmtpClient smtp() throws Exception {
        return SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test");
    }

    static byte[] message(String subject, String body) {
        return message(subject, body, "");
    }

    static byte[] message(String subject, String body, String extraHeaders) {
        return ("From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + subject.replace(' ', '.') + "@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n"
                + extraHeaders + "\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for the message with this subject in {@code user}'s Maildir and returns it (LF line ends, as stored). */
    static String deliveredWithSubject(String user, String subject) throws Exception {
        long end = System.nanoTime() + DELIVERY.toNanos();
        while (System.nanoTime() < end) {
            for (Path p : postfix.delivered(user)) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (text.contains("Subject: " + subject + "\n")) {
                    return text;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no message \"" + subject + "\" for " + user + "; maillog:\n" + postfix.log());
    }
}
