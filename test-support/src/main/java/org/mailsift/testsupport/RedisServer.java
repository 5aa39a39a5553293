package org.mailsift.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private {@code redis-server} (Debian's package) on a free loopback port, in a temporary directory, with no
 * persistence. {@link #stop()} and {@link #start()} keep the same port, for outage tests.
 */
public final class RedisServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    private int port;
    private Process process;

    private RedisServer(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a server on a free port (retrying another port if one is taken meanwhile). */
    public static RedisServer startNew() {
        try {
            RedisServer s = new RedisServer(Files.createTempDirectory("mailsift-redis"));
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                s.port = freePort();
                try {
                    s.start();
                    return s;
                } catch (IOException e) {
                    last = e;
                }
            }
            throw new UncheckedIOException(last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** "127.0.0.1:PORT", the form Rspamd's redis.conf takes. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** (Re)starts on the same port; returns once it accepts connections. */
    public synchronized void start() throws IOException {
        if (running()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!ready.isDone()) {
                        output.add(line);
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(true);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.complete(false);
        }, "redis-" + port + "-output");
        drain.setDaemon(true);
        drain.start();
        boolean ok;
        try {
            ok = ready.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IOException("redis-server on port " + port + " did not start: " + String.join(" | ", output));
        }
        process = p;
    }

    /** Stops the server (SIGTERM, then SIGKILL); the port stays reserved for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
