package org.mailsift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private {@code redis-server} (Debian's package) on a free loopback port, in a temporary directory, with no
 * persistence, or durable as a production Redis holding Bayes should be ({@link #startDurable()}: every write in the
 * AOF, fsynced before the reply). {@link #stop()}, {@link #kill()} and {@link #start()} keep the same port (and the
 * data of a durable server), for outage tests.
 */
public final class RedisServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    private final boolean durable;
    private int port;
    private RedisProcess process;

    private RedisServer(Path dir, boolean durable) {
        this.dir = dir;
        this.durable = durable;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a server on a free port (retrying another port if one is taken meanwhile). */
    public static RedisServer startNew() {
        return startNew(false);
    }

    /** Starts a server that keeps every acknowledged write across a crash (appendonly, appendfsync always). */
    public static RedisServer startDurable() {
        return startNew(true);
    }

    private static RedisServer startNew(boolean durable) {
        try {
            RedisServer s = new RedisServer(Files.createTempDirectory("mailsift-redis"), durable);
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                s.port = FreePort.onLoopback();
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
        return process != null && process.alive();
    }

    /** (Re)starts on the same port; returns once it accepts connections. */
    public synchronized void start() throws IOException {
        if (running()) {
            return;
        }
        process = RedisProcess.start("redis-server", port, List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", durable ? "yes" : "no", "--appendfsync", "always",
                "--daemonize", "no", "--dir", dir.toString()),
                "Ready to accept connections");
    }

    /** Stops the server (SIGTERM, then SIGKILL); the port stays reserved for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.stop();
        process = null;
    }

    /** SIGSTOP: the server stops answering with every connection left open (a hung host); {@link #thaw()} resumes. */
    public synchronized void freeze() {
        process.signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}: the server answers again, the commands sent meanwhile first. */
    public synchronized void thaw() {
        process.signal("CONT");
    }

    /** SIGKILL, as a crash: nothing is flushed, clients see the connection drop mid-command. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.kill();
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

}
