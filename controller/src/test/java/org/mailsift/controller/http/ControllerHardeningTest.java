package org.mailsift.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.airlift.compress.zstd.ZstdCompressor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.controller.WorkerSettings;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.security.AccessGuard.TrustedWrites;
import org.mailsift.controller.security.PasswordCheckSlots;
import org.mailsift.controller.security.Secret;
import org.mailsift.core.net.MinimumDataRate;

/** The audit's attacks on the HTTP workers, reproduced on loopback with bounded counts and time. */
class ControllerHardeningTest {
    private final List<Socket> sockets = new ArrayList<>();
    private RunningController c;

    @TempDir
    Path etc;

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (c != null) {
            c.close();
        }
    }

    private Socket connect(int port, String from) throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends one request with exactly these headers; returns the status line's code, or -1 when the server closed. */
    private int request(int port, String method, String path, byte[] body, String... headers) throws Exception {
        Socket s = connect(port, null);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean hasHost = false;
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            hasHost |= headers[i].equalsIgnoreCase("Host");
        }
        if (!hasHost) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        OutputStream out = s.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return reply.startsWith("HTTP/1.1 ") ? Integer.parseInt(reply.substring(9, 12)) : -1;
    }

    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private void startWithActionsFile(java.util.function.UnaryOperator<WorkerSettings> tweak) throws Exception {
        ControllerSettings d = ControllerSettings.defaults();
        var free = org.mailsift.core.config.BindSocket.parse("127.0.0.1:0");
        c = RunningController.startWith(new ControllerSettings(d.normal().withBinds(free),
                tweak.apply(d.controller().withBinds(free).withPasswords(Optional.of(Secret.of("read").orElseThrow()),
                        Secret.of("enable"))), d.thresholds(), etc.resolve("local.d/actions.conf")));
    }

    private static final byte[] HOSTILE_THRESHOLDS = "[-1,null,-2,null]".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aLocalUserCannotChangeThresholdsWithoutTheEnablePassword() throws Exception {
        // the audit: curl --data '[-1,null,-2,null]' .../saveactions from loopback (secure_ip) -> 200
        startWithActionsFile(w -> w);
        assertThat(request(c.controllerPort(), "POST", "/saveactions", HOSTILE_THRESHOLDS)).isEqualTo(401);
        assertThat(request(c.controllerPort(), "POST", "/statreset", new byte[0])).isEqualTo(401);
        assertThat(request(c.controllerPort(), "POST", "/historyreset", new byte[0])).isEqualTo(401);
        assertThat(request(c.controllerPort(), "POST", "/learnspam", "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(401);
        assertThat(request(c.controllerPort(), "GET", "/stat", new byte[0])).as("reads stay open to secure_ip").isEqualTo(200);
        assertThat(Files.exists(etc.resolve("local.d/actions.conf"))).isFalse();
        assertThat(request(c.controllerPort(), "POST", "/saveactions", "[20,null,7,5]".getBytes(StandardCharsets.US_ASCII),
                "Password", "enable")).isEqualTo(200);
    }

    @Test
    void aWebPageOnAnotherOriginIsRefusedEvenWhereTrustedPeersMayWrite() throws Exception {
        startWithActionsFile(w -> w.withGuards(w.guards().withTrustedWrites(TrustedWrites.ALL)));
        assertThat(request(c.controllerPort(), "POST", "/saveactions", HOSTILE_THRESHOLDS, "Origin", "http://evil.example"))
                .isEqualTo(403);
        assertThat(request(c.controllerPort(), "GET", "/statreset", new byte[0], "Sec-Fetch-Site", "cross-site")).isEqualTo(403);
        assertThat(Files.exists(etc.resolve("local.d/actions.conf"))).isFalse();
        // the web interface on the controller itself is same-origin
        assertThat(request(c.controllerPort(), "POST", "/saveactions", "[20,null,7,5]".getBytes(StandardCharsets.US_ASCII),
                "Origin", "http://127.0.0.1:" + c.controllerPort(), "Password", "enable")).isEqualTo(200);
    }

    @Test
    void aReboundDnsNameGetsNoSecureIpTrust() throws Exception {
        startWithActionsFile(w -> w.withGuards(w.guards().withTrustedWrites(TrustedWrites.ALL)));
        String host = "rebound.evil.example:" + c.controllerPort();
        assertThat(request(c.controllerPort(), "POST", "/saveactions", HOSTILE_THRESHOLDS, "Host", host,
                "Origin", "http://" + host)).isEqualTo(401);
        assertThat(request(c.controllerPort(), "GET", "/history", new byte[0], "Host", host, "Sec-Fetch-Site", "same-origin"))
                .isEqualTo(401);
    }

    @Test
    void thresholdsMustBeFiniteAndOrdered() throws Exception {
        startWithActionsFile(w -> w);
        for (String bad : List.of("[1e999,null,6,4]", "[15,null,-1e400,4]", "[5,null,8,4]", "[\"NaN\",null,6,4]")) {
            assertThat(request(c.controllerPort(), "POST", "/saveactions", bad.getBytes(StandardCharsets.US_ASCII),
                    "Password", "enable")).as(bad).isEqualTo(400);
        }
        assertThat(Files.exists(etc.resolve("local.d/actions.conf"))).isFalse();
    }

    @Test
    void connectionsOverTheCapsAreClosedAtAccept() throws Exception {
        c = RunningController.start(w -> w.withGuards(w.guards().withConnections(10, 4, 10_000)));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(connect(c.controllerPort(), "127.0.0.1"));
        }
        assertThat(request(c.controllerPort(), "GET", "/ping", new byte[0])).as("a fifth from 127.0.0.1").isEqualTo(-1);
        for (int i = 0; i < 6; i++) {
            held.add(connect(c.controllerPort(), "127.0.0." + (2 + i % 3)));
        }
        Socket overTotal = connect(c.controllerPort(), "127.0.0.9");
        assertThat(closedByServer(overTotal)).isTrue();
        assertThat(request(c.normalPort(), "GET", "/ping", new byte[0])).as("the normal worker has its own caps").isEqualTo(200);
        held.get(0).close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = -1;
        while (status != 200 && System.nanoTime() < deadline) {
            status = request(c.controllerPort(), "GET", "/ping", new byte[0]); // until the closed one is counted out
        }
        assertThat(status).isEqualTo(200);
    }

    @Test
    void trickledHeadersAreCutAtTheHeaderDeadline() throws Exception {
        c = RunningController.start(w -> w.withGuards(w.guards().withConnections(100, 100, 800)));
        Socket s = connect(c.controllerPort(), null);
        s.setSoTimeout(200);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] line = "POST /checkv2 HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < line.length && !closed; i++) {
            try {
                out.write(line[i]);
                out.flush();
                closed = in.read() < 0; // the 200 ms read timeout paces the trickle: one byte per 200 ms
            } catch (java.net.SocketTimeoutException stillOpen) {
                // no answer yet: keep trickling
            } catch (java.io.IOException reset) {
                closed = true;
            }
        }
        assertThat(closed).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void passwordGuessesWhileEveryCheckSlotIsBusyGet503NotACpuCore() throws Exception {
        c = RunningController.start(w -> w.withPasswords(Optional.empty(),
                Secret.of(org.mailsift.controller.security.PasswordHash.create("enable", 20_000))));
        PasswordCheckSlots slots = PasswordCheckSlots.SHARED;
        int held = 0;
        try {
            for (; held < slots.slots(); held++) {
                assertThat(slots.tryAcquire()).isTrue(); // what a flood of concurrent guesses does
            }
            assertThat(request(c.controllerPort(), "POST", "/learnspam", "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII),
                    "Password", "guess")).isEqualTo(503);
        } finally {
            for (; held > 0; held--) {
                slots.release();
            }
        }
        assertThat(request(c.controllerPort(), "POST", "/learnspam", "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII),
                "Password", "guess")).as("a slot free again: the guess is checked and refused").isEqualTo(401);
    }

    @Test
    void aRefusalOnTheUnixSocketNamesThePeersUserAsTheKernelGivesIt() throws Exception {
        Path socket = etc.resolve("controller.sock");
        c = RunningController.start(w -> w.withSecureIps(List.of())
                .withBinds(org.mailsift.core.config.BindSocket.parse(socket + " mode=0660")));
        var logs = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var routerLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.mailsift.controller.api.Router.class);
        logs.start();
        routerLog.addAppender(logs);
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            ch.write(java.nio.ByteBuffer.wrap("POST /learnspam HTTP/1.1\r\nHost: x\r\nPassword: guess\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            String reply = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 401");
        } finally {
            routerLog.detachAppender(logs);
        }
        String user = Files.getOwner(Path.of("/proc/self")).getName();
        assertThat(logs.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("unauthorized /learnspam from unix socket (user=" + user + " group="));
    }

    @Test
    void aTrickledBodyGets408AndItsReservationIsReleased() throws Exception {
        c = RunningController.start(w -> w.withGuards(w.guards().withBodyRate(new MinimumDataRate(Duration.ofSeconds(1), 500))));
        Socket s = connect(c.controllerPort(), null);
        s.setSoTimeout(200);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        // the headers in one go (header_timeout is satisfied), then the announced 100 KB a byte at a time
        out.write(("POST /checkv2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nSubject: slow\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> c.server.controllerInflightBytes() == 100_000);
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        boolean closed = false;
        // at most 600 bytes, one per 200 ms read timeout (2 minutes): the server must close long before
        for (int i = 0; i < 600 && !closed; i++) {
            try {
                out.write('x');
                out.flush();
                int b;
                while ((b = in.read()) >= 0) {
                    answer.write(b);
                }
                closed = true;
            } catch (java.net.SocketTimeoutException stillOpen) {
                // no close yet: keep trickling
            } catch (java.io.IOException reset) {
                closed = true; // the server closed while we wrote: its 408 may be lost to the reset
            }
        }
        assertThat(closed).as("the server closed the trickling connection").isTrue();
        if (answer.size() > 0) {
            assertThat(answer.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> c.server.controllerInflightBytes() == 0);
    }

    @Test
    void aBodyThatEarnedItsTimeIsNotCutWhenItTakesLongerThanBodyTimeout() throws Exception {
        c = RunningController.start(w -> w.withGuards(w.guards().withBodyRate(new MinimumDataRate(Duration.ofSeconds(2), 500))));
        byte[] half = ("y".repeat(50_000)).getBytes(StandardCharsets.US_ASCII); // earns 100 s
        Socket honest = connect(c.controllerPort(), null);
        OutputStream out = honest.getOutputStream();
        out.write(("POST /checkv2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + (14 + 2 * half.length)
                + "\r\n\r\nSubject: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(half);
        out.flush();
        // the clock is the server's: a request sent afterwards with no body at all is cut at body_timeout
        Socket idle = connect(c.controllerPort(), null);
        idle.getOutputStream().write("POST /checkv2 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        idle.getOutputStream().flush();
        idle.setSoTimeout(60_000);
        assertThat(new String(idle.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408");

        out.write(half); // more than body_timeout after the headers: in time all the same, the first half earned it
        out.flush();
        honest.setSoTimeout(60_000);
        assertThat(new String(honest.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
    }

    @Test
    void zstdBodiesBeyondTheInFlightBudgetGet503InsteadOfExhaustingTheHeap() throws Exception {
        c = RunningController.start(w -> w.withGuards(w.guards().withInflight(4L << 20)));
        // 8 MB of text compresses to a few KB: small on the wire, large in memory
        byte[] raw = ("Subject: zeros\r\n\r\n" + "0".repeat(8 << 20)).getBytes(StandardCharsets.US_ASCII);
        ZstdCompressor z = new ZstdCompressor();
        byte[] out = new byte[z.maxCompressedLength(raw.length)];
        byte[] compressed = java.util.Arrays.copyOf(out, z.compress(raw, 0, raw.length, out, 0, out.length));
        assertThat(compressed.length).isLessThan(1 << 20);

        assertThat(request(c.controllerPort(), "POST", "/checkv2", compressed)).isEqualTo(503);
        assertThat(request(c.controllerPort(), "POST", "/checkv2", "Subject: small\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII)))
                .as("the budget was given back").isEqualTo(200);
    }

    @Test
    void bodiesThatTogetherExceedTheBudgetAreRefusedWhileOneIsHeld() throws Exception {
        // a body timeout far beyond the test: the held reservation must stay held until the holder goes away
        c = RunningController.start(w -> w.withGuards(w.guards().withInflight(1L << 20)
                .withBodyRate(new MinimumDataRate(Duration.ofMinutes(10), 500))));
        Socket first = connect(c.controllerPort(), null);
        // announces 800 KB and sends only the headers: the reservation is held while the body is awaited
        first.getOutputStream().write(("POST /checkv2 HTTP/1.1\r\nHost: x\r\nContent-Length: " + (800 << 10) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        first.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> c.server.controllerInflightBytes() == 800 << 10);
        assertThat(request(c.controllerPort(), "POST", "/checkv2", new byte[600 << 10])).isEqualTo(503);
        first.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> c.server.controllerInflightBytes() == 0);
        int status = request(c.controllerPort(), "POST", "/checkv2", ("Subject: x\r\n\r\n" + "y".repeat(600 << 10)).getBytes(StandardCharsets.US_ASCII));
        assertThat(status).as("released when the holder went away").isEqualTo(200);
    }
}
