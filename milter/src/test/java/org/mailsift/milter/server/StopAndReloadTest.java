package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.RawMilterClient;
import org.mailsift.milter.TestScanner;

/**
 * The milter under a service manager: SIGTERM while Postfix waits for a verdict (the milter stops accepting, but the
 * message being scanned gets its answer), and SIGHUP (new settings for new connections, the socket stays).
 */
class StopAndReloadTest {
    private static final String[][] HEADERS = {{"From", "carol@sender.test"}, {"Subject", "hello"}};

    @Test
    void aMessageBeingScannedWhenTheMilterStopsStillGetsItsVerdict() throws Exception {
        MilterSettings d = MilterSettings.defaults();
        MilterSettings settings = new MilterSettings(List.of(BindSocket.tcp("127.0.0.1", 0)), true, d.scanTimeout(),
                d.readTimeout(), false, false, d.rejectMessage(), d.tempfailMessage(), d.maxSize(),
                d.fallback(), 2, true, org.mailsift.milter.MilterLimits.defaults());
        TestScanner scanner = new TestScanner("Gtube pattern");
        MilterServer server = new MilterServer(settings, scanner, new Metrics());
        SocketAddress address = server.start().get(0);
        try (RawMilterClient mta = new RawMilterClient(address)) {
            mta.send(MilterFrames.frames().postfixOptneg().bytes());
            mta.reply();
            mta.send(MilterFrames.frames().connect("client.test", '4', 4000, "192.0.2.10").helo("client.test").bytes());
            mta.send(MilterFrames.frames().postfixMessage("SLOW", "carol@sender.test", "alice@example.test", HEADERS,
                    TestScanner.SLOW_MARKER).bytes());
            assertThat(scanner.slowScanStarted.await(10, TimeUnit.SECONDS)).as("the scan (5 s) is running").isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            awaitRefused(address); // the listening socket is closed

            assertThatThrownBy(() -> new Socket().connect(address, 1000)).isInstanceOf(IOException.class);
            assertThat(stopping).isNotDone();
            assertThat(mta.repliesUntilFinal()).last().isEqualTo("a");
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until a connection to {@code address} is refused, at most 10 s. */
    private static void awaitRefused(SocketAddress address) {
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    try (Socket probe = new Socket()) {
                        probe.connect(address, 1000);
                        return false;
                    } catch (IOException refused) {
                        return true;
                    }
                });
    }


    private static MilterSettings withRejectMessage(BindSocket bind, String rejectMessage) {
        MilterSettings d = MilterSettings.defaults();
        return new MilterSettings(List.of(bind), true, d.scanTimeout(), d.readTimeout(), false, false, rejectMessage,
                d.tempfailMessage(), d.maxSize(), d.fallback(), 2, true, org.mailsift.milter.MilterLimits.defaults());
    }

    @Test
    void aReloadedRejectMessageAppliesToTheNextConnectionOnTheSameSocket() throws Exception {
        BindSocket bind = BindSocket.tcp("127.0.0.1", 0);
        MilterServer server = new MilterServer(withRejectMessage(bind, "Go away"), new TestScanner(null), new Metrics());
        SocketAddress address = server.start().get(0);
        try {
            server.reload(withRejectMessage(bind, "Not here"));

            try (RawMilterClient mta = new RawMilterClient(address)) {
                mta.send(MilterFrames.frames().postfixOptneg().bytes());
                mta.reply();
                mta.send(MilterFrames.frames().connect("client.test", '4', 4000, "192.0.2.10").helo("client.test").bytes());
                mta.send(MilterFrames.frames().postfixMessage("Q1", "carol@sender.test", "alice@example.test", HEADERS,
                        TestScanner.GTUBE).bytes());
                assertThat(mta.repliesUntilFinal()).containsExactly("y:554 5.7.1 Not here|");
            }
            assertThatThrownBy(() -> server.reload(withRejectMessage(BindSocket.tcp("127.0.0.1", 1), "Go away")))
                    .hasMessageContaining("bind_socket");
        } finally {
            server.close();
        }
    }
}
