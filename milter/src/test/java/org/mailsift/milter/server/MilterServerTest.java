package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.FallbackAction;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.RawMilterClient;
import org.mailsift.milter.TestScanner;

/** The server over real sockets, with our own frames: the transcript an MTA sees, byte by byte. */
class MilterServerTest {
    private static final String[][] HEADERS = {{"From", "carol@sender.test"}, {"Subject", "hello"}, {"X-Spam", "Yes"}};

    private final TestScanner scanner = new TestScanner("Gtube pattern");
    private final Metrics metrics = new Metrics();
    private MilterServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SocketAddress start(MilterSettings settings) throws Exception {
        server = new MilterServer(settings, scanner, metrics);
        return server.start().get(0);
    }

    private static MilterSettings settings(BindSocket bind, Duration scanTimeout, Duration readTimeout, long maxSize, FallbackAction fallback) {
        MilterSettings d = MilterSettings.defaults();
        return new MilterSettings(List.of(bind), true, scanTimeout, readTimeout, false, false, d.rejectMessage(),
                d.tempfailMessage(), maxSize, fallback, 2, true, org.mailsift.milter.MilterLimits.defaults());
    }

    private static MilterSettings tcp() {
        MilterSettings d = MilterSettings.defaults();
        return settings(BindSocket.tcp("127.0.0.1", 0), d.scanTimeout(), d.readTimeout(), d.maxSize(), d.fallback());
    }

    private static byte[] message(String queueId, String body) {
        return MilterFrames.frames().postfixMessage(queueId, "carol@sender.test", "alice@example.test", HEADERS, body).bytes();
    }

    @Test
    void aPostfixConversationIsAnsweredOnlyAtEndOfMessage() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(tcp()))) {
            mta.send(MilterFrames.frames().postfixOptneg().bytes());
            // version 6, ADDHDRS|CHGHDRS|QUARANTINE, every no-reply bit
            assertThat(mta.reply()).isEqualTo("O:6:49:1044608");
            mta.send(MilterFrames.frames().macro('C', "j", "mx.example.test").connect("client.test", '4', 4000, "192.0.2.10")
                    .helo("client.test").bytes());
            mta.send(message("Q1", "clean body\r\n"));
            // the engine's edits: the spoofed X-Spam goes, our X-Spamd-Result comes, then ACCEPT
            assertThat(mta.repliesUntilFinal()).containsExactly("m:1:X-Spam||", "h:X-Spamd-Result|default: False [0.50 / 15.00];\n\tCLEAN(0.50)|", "a");
            mta.send(message("Q2", TestScanner.GTUBE));
            assertThat(mta.repliesUntilFinal()).containsExactly("y:554 5.7.1 Gtube pattern|");
            mta.send(MilterFrames.frames().quit().bytes());
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(scanner.envelopes).extracting(e -> e.queueId()).containsExactly("Q1", "Q2");
        assertThat(scanner.envelopes.get(0).mtaName()).isEqualTo("mx.example.test");
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.gauge(MilterMetrics.CONNECTIONS_OPEN).get() == 0);
        assertThat(metrics.counterValue(MilterMetrics.CONNECTIONS_TOTAL)).isEqualTo(1);
        assertThat(metrics.counterValue(MilterMetrics.MESSAGES_TOTAL)).isEqualTo(2);
        assertThat(metrics.counterValue(MilterMetrics.VERDICTS_TOTAL, "reply", "reject", "action", "reject")).isEqualTo(1);
        assertThat(metrics.counterValue(MilterMetrics.VERDICTS_TOTAL, "reply", "accept", "action", "no action")).isEqualTo(1);
    }

    @Test
    void garbageClosesOnlyThatConnection() throws Exception {
        SocketAddress address = start(tcp());
        try (RawMilterClient good = new RawMilterClient(address); RawMilterClient bad = new RawMilterClient(address)) {
            good.send(MilterFrames.frames().postfixOptneg().connect("client.test", '4', 4000, "192.0.2.10").bytes());
            assertThat(good.reply()).startsWith("O:6");
            bad.send("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(bad.closedByServer()).isTrue();
            good.send(message("Q1", "still fine"));
            assertThat(good.repliesUntilFinal()).last().isEqualTo("a");
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "protocol")).isEqualTo(1);
    }

    @Test
    void aSlowScanTimesOutIntoTheFallbackAndTheConnectionCarriesOn() throws Exception {
        MilterSettings d = MilterSettings.defaults();
        SocketAddress address = start(settings(BindSocket.tcp("127.0.0.1", 0), Duration.ofMillis(300), d.readTimeout(),
                d.maxSize(), FallbackAction.TEMPFAIL));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            mta.send(MilterFrames.frames().postfixOptneg().connect("client.test", '4', 4000, "192.0.2.10").bytes());
            mta.reply();
            long t0 = System.nanoTime();
            mta.send(message("SLOW", TestScanner.SLOW_MARKER));
            assertThat(mta.repliesUntilFinal()).containsExactly("y:451 4.7.1 Try again later|");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
            mta.send(message("NEXT", "quick"));
            assertThat(mta.repliesUntilFinal()).last().isEqualTo("a");
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "timeout")).isEqualTo(1);
    }

    @Test
    void aFailingScannerGivesTheFallbackAnswer() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(tcp()))) {
            mta.send(MilterFrames.frames().postfixOptneg().connect("client.test", '4', 4000, "192.0.2.10").bytes());
            mta.reply();
            mta.send(message("BROKEN", TestScanner.FAIL_MARKER));
            assertThat(mta.repliesUntilFinal()).containsExactly("a");
        }
        assertThat(metrics.counterValue(MilterMetrics.VERDICTS_TOTAL, "reply", "accept", "action", "fallback")).isEqualTo(1);
    }

    @Test
    void anOldProtocolVersionIsRefused() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(tcp()))) {
            mta.send(MilterFrames.frames().optneg(2, 0x1f, 0x7f).bytes());
            assertThat(mta.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheReadTimeout() throws Exception {
        MilterSettings d = MilterSettings.defaults();
        SocketAddress address = start(settings(BindSocket.tcp("127.0.0.1", 0), d.scanTimeout(), Duration.ofMillis(200),
                d.maxSize(), d.fallback()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            mta.send(MilterFrames.frames().postfixOptneg().bytes());
            mta.reply();
            assertThat(mta.closedByServer()).isTrue();
        }
    }

    @Test
    void aMessageOverMaxSizeIsAcceptedWithoutScanning() throws Exception {
        MilterSettings d = MilterSettings.defaults();
        SocketAddress address = start(settings(BindSocket.tcp("127.0.0.1", 0), d.scanTimeout(), d.readTimeout(), 1000, d.fallback()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            mta.send(MilterFrames.frames().postfixOptneg().connect("client.test", '4', 4000, "192.0.2.10").bytes());
            mta.reply();
            mta.send(message("BIG", TestScanner.GTUBE + "x".repeat(2000)));
            assertThat(mta.repliesUntilFinal()).containsExactly("a");
        }
        assertThat(scanner.messages).isEmpty();
        assertThat(metrics.counterValue(MilterMetrics.VERDICTS_TOTAL, "reply", "accept", "action", "unscanned")).isEqualTo(1);
    }

    @Test
    void listensOnAUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("milter.sock");
        MilterSettings d = MilterSettings.defaults();
        SocketAddress address = start(settings(BindSocket.unix(socket), d.scanTimeout(), d.readTimeout(), d.maxSize(), d.fallback()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            mta.send(MilterFrames.frames().postfixOptneg().bytes());
            assertThat(mta.reply()).startsWith("O:6");
            mta.send(MilterFrames.frames().connect("localhost", 'L', 0, "/run/postfix.sock").bytes());
            mta.send(message("UNIX", TestScanner.ADD_HEADER_MARKER));
            assertThat(mta.repliesUntilFinal()).endsWith("h:X-Spam|Yes|", "a");
        }
        assertThat(scanner.envelopes.get(0).clientIp()).isEqualTo("192.0.2.10"); // from {client_addr}, not the unix path
        server.close();
        server = null;
        assertThat(Files.exists(socket)).isFalse();
    }
}
