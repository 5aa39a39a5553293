package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.core.net.MinimumDataRate;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterLimits;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.RawMilterClient;
import org.mailsift.milter.TestScanner;

/** Floods of connections and trickled packets on loopback: bounded counts, bounded time. */
class MilterConnectionLimitsTest {
    private final Metrics metrics = new Metrics();
    private final List<AutoCloseable> open = new ArrayList<>();
    private MilterServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private SocketAddress start(int maxConnections, int perIp, Duration packetTimeout) throws Exception {
        return start(maxConnections, perIp, packetTimeout, MinimumDataRate.DEFAULT);
    }

    private SocketAddress start(int maxConnections, int perIp, Duration packetTimeout, MinimumDataRate contentRate) throws Exception {
        MilterLimits d = MilterLimits.defaults();
        MilterSettings settings = MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0)))
                .withLimits(new MilterLimits(d.maxHeaders(), d.maxRecipients(), d.maxAddressBytes(), d.maxMacroBytes(),
                        maxConnections, perIp, packetTimeout, contentRate));
        server = new MilterServer(settings, new TestScanner(null), metrics);
        return server.start().get(0);
    }

    private RawMilterClient client(SocketAddress address, String from) throws Exception {
        RawMilterClient c = new RawMilterClient(address, from == null ? null : new InetSocketAddress(from, 0));
        open.add(c);
        return c;
    }

    private static void assertServed(RawMilterClient c) throws Exception {
        c.send(MilterFrames.frames().postfixOptneg().bytes());
        assertThat(c.reply()).startsWith("O:6");
    }

    @Test
    void connectionsOverMaxConnectionsAreClosedAtAcceptAndTheOthersAreStillServed() throws Exception {
        SocketAddress address = start(5, 5, Duration.ofSeconds(30));
        List<RawMilterClient> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(client(address, null));
        }
        for (RawMilterClient c : first) {
            assertServed(c); // all five admitted (and counted) before the next connects
        }
        for (int i = 0; i < 20; i++) {
            assertThat(client(address, null).closedByServer()).as("connection %d over the cap", i + 6).isTrue();
        }
        first.get(1).send(MilterFrames.frames().connect("client.test", '4', 25, "192.0.2.1").postfixMessage("Q1", "a@b.test",
                "c@d.test", new String[][] {{"Subject", "still served"}}, "body").bytes());
        assertThat(first.get(1).repliesUntilFinal()).last().isEqualTo("a");
        assertThat(metrics.counterValue(MilterMetrics.REFUSED_TOTAL)).isGreaterThanOrEqualTo(20);
        first.get(4).close();
        // a slot frees when a connection closes
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean servedAgain = false;
        while (!servedAgain && System.nanoTime() < deadline) {
            RawMilterClient again = client(address, null);
            again.send(MilterFrames.frames().postfixOptneg().bytes());
            try {
                servedAgain = again.reply().startsWith("O:6");
            } catch (java.io.IOException closedAtAccept) {
                // the close of the fifth has not been seen yet
            }
        }
        assertThat(servedAgain).isTrue();
    }

    @Test
    void onePeerCannotTakeEverySlot() throws Exception {
        SocketAddress address = start(100, 3, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            assertServed(client(address, "127.0.0.1"));
        }
        assertThat(client(address, "127.0.0.1").closedByServer()).isTrue();
        assertServed(client(address, "127.0.0.2"));
    }

    @Test
    void aTrickledPacketIsCutAtPacketTimeoutWhateverTheIdleTimeout() throws Exception {
        SocketAddress address = start(100, 100, Duration.ofMillis(800));
        try (SocketChannel ch = SocketChannel.open(address)) {
            byte[] optneg = MilterFrames.frames().postfixOptneg().bytes();
            long t0 = System.nanoTime();
            boolean closed = false;
            // one byte every 100 ms: the read idle timeout (10 min) would never fire
            for (int i = 0; i < optneg.length - 1 && !closed; i++) {
                try {
                    ch.write(ByteBuffer.wrap(optneg, i, 1));
                } catch (java.io.IOException e) {
                    closed = true;
                }
                Thread.sleep(100); // the trickle itself: the attacker's pace, not a wait for the server
                if (!closed && System.nanoTime() - t0 > Duration.ofSeconds(5).toNanos()) {
                    break;
                }
            }
            ch.configureBlocking(true);
            ch.socket().setSoTimeout(5000);
            int read;
            try {
                read = ch.socket().getInputStream().read();
            } catch (java.io.IOException e) {
                read = -1;
            }
            assertThat(read).as("server closed the trickling connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aBodySentOneWholeTinyPacketAtATimeIsCutAtTheMinimumRate() throws Exception {
        // every packet arrives whole (packet_timeout never fires), one 1-byte body chunk per 200 ms
        InetSocketAddress address = (InetSocketAddress) start(100, 100, Duration.ofSeconds(30),
                new MinimumDataRate(Duration.ofSeconds(1), 500));
        try (java.net.Socket s = new java.net.Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(200);
            java.io.OutputStream out = s.getOutputStream();
            java.io.InputStream in = s.getInputStream();
            out.write(MilterFrames.frames().postfixOptneg().connect("client.example", '4', 25, "192.0.2.10").helo("client.example")
                    .mail("<a@client.example>").rcpt("<b@example.test>").data().header("Subject", "slow").eoh().bytes());
            out.flush();
            byte[] chunk = MilterFrames.frames().body("x").bytes();
            boolean closed = false;
            // at most 600 chunks (2 minutes at the 200 ms read timeout): the server must close long before
            for (int i = 0; i < 600 && !closed; i++) {
                try {
                    out.write(chunk);
                    out.flush();
                    byte[] replies = new byte[4096];
                    closed = in.read(replies) < 0; // replies (continue) are read and dropped; EOF is the close
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing yet: keep trickling
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("server closed the trickling connection").isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "limit") == 1);
        }
    }

    @Test
    void aConnectionThatNeverNegotiatesIsClosedAtPacketTimeout() throws Exception {
        SocketAddress address = start(100, 100, Duration.ofMillis(500));
        RawMilterClient silent = client(address, null);
        long t0 = System.nanoTime();
        assertThat(silent.closedByServer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
