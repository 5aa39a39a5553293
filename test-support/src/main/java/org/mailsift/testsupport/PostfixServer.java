package org.mailsift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A private Postfix from Debian's package, started with {@code postfix -c DIR start} on a free loopback port in a
 * temporary directory: SMTP on 127.0.0.1:{@link #smtpPort()}, every recipient at {@code example.test} delivered by the
 * virtual agent into {@code DIR/mail/<user>/Maildir}, optionally through a milter. {@link #close()} stops it and removes
 * the directory.
 *
 * <p>Needs root (the master daemon starts as root and drops to the postfix user) and /usr/sbin/postfix; otherwise
 * {@link #start} skips the calling test with an assumption. Only one instance at a time is expected.
 */
public final class PostfixServer implements AutoCloseable {
    public static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    public static final String DOMAIN = "example.test";
    /** The uid/gid the virtual agent writes mail as (virtual_uid_maps in postfix/main.cf; at least virtual_minimum_uid). */
    private static final int MAIL_UID = 65534;
    private static final int MAIL_GID = 65534;

    private final Path dir;
    private final Path config;
    private final int port;
    private boolean running;

    private PostfixServer(Path dir, int port) {
        this.dir = dir;
        this.config = dir.resolve("etc");
        this.port = port;
    }

    /** Settings for {@link #start}. */
    public static final class Options {
        private String milters = "";
        private String milterDefaultAction = "accept";
        private final List<String> users = new ArrayList<>(List.of("alice", "bob"));
        private final Map<String, String> extra = new LinkedHashMap<>();

        /** {@code smtpd_milters}, e.g. "inet:127.0.0.1:11332"; empty for none. */
        public Options milters(String value) {
            this.milters = value;
            return this;
        }

        /** {@code milter_default_action}: accept, tempfail, reject or quarantine. */
        public Options milterDefaultAction(String value) {
            this.milterDefaultAction = value;
            return this;
        }

        /** Any other main.cf parameter. */
        public Options set(String parameter, String value) {
            extra.put(parameter, value);
            return this;
        }
    }

    public static Options options() {
        return new Options();
    }

    /** Whether a private Postfix can run here (binary installed, running as root). */
    public static boolean available() {
        return Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
    }

    /** Starts Postfix, or skips the test (assumption) when it cannot run here. */
    public static PostfixServer start(Options options) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(POSTFIX), "Postfix not installed (" + POSTFIX + ")");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private Postfix needs root");
        Path dir = Files.createTempDirectory("mailsift-postfix-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // postfix user must traverse
        PostfixServer server = new PostfixServer(dir, FreePort.onLoopback());
        try {
            server.writeConfig(options);
            server.run("start");
            server.running = true;
            server.awaitListening(Duration.ofSeconds(15));
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int smtpPort() {
        return port;
    }

    public Path directory() {
        return dir;
    }

    public Path maillog() {
        return dir.resolve("maillog");
    }

    /** Postfix's log so far (for assertion messages). */
    public String log() {
        try {
            return Files.exists(maillog()) ? Files.readString(maillog(), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Maildir of {@code user} (alice, bob). */
    public Path maildir(String user) {
        return dir.resolve("mail").resolve(user).resolve("Maildir");
    }

    /** Files delivered to {@code user}'s Maildir/new, oldest first. */
    public List<Path> delivered(String user) {
        Path newDir = maildir(user).resolve("new");
        if (!Files.isDirectory(newDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(newDir)) {
            return s.sorted(Comparator.comparing(PostfixServer::modified).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code user} has at least {@code count} delivered messages and returns them, oldest first. */
    public List<Path> awaitDelivered(String user, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<Path> files = delivered(user);
            if (files.size() >= count) {
                return files;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " message(s) for " + user + " within " + timeout + ", have "
                + delivered(user).size() + "; maillog:\n" + log());
    }

    /** Changes main.cf parameters and reloads (e.g. {@code smtpd_milters}). */
    public void reconfigure(Map<String, String> parameters) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/postconf", "-c", config.toString(), "-e"));
        parameters.forEach((k, v) -> cmd.add(k + "=" + v));
        exec(cmd);
        long reloads = reloadsLogged();
        run("reload");
        // the master logs the reload once it has re-read main.cf; smtpd processes started from then on use it, and with
        // max_use = 1 no process of the old configuration takes another session
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (reloadsLogged() <= reloads) {
            if (System.nanoTime() > end) {
                throw new IOException("postfix did not log its reload within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private long reloadsLogged() throws IOException {
        if (!Files.exists(maillog())) {
            return 0;
        }
        try (java.util.stream.Stream<String> lines = Files.lines(maillog(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("reload -- version")).count();
        }
    }

    /** The shared test configuration ({@link PostfixConfig}) with this test's milter and parameters, and its users. */
    private void writeConfig(Options o) throws IOException, InterruptedException {
        PostfixConfig cf = PostfixConfig.of(dir, port, "mailsift-test-postfix")
                .set("smtpd_milters", o.milters)
                .set("milter_default_action", o.milterDefaultAction)
                // one SMTP session per smtpd process: after reconfigure()'s reload no idle smtpd of the old
                // configuration can take the next connection (Postfix lets them exit "at their earliest convenience")
                .set("max_use", "1");
        o.extra.forEach(cf::set);
        cf.write();
        Path mail = Files.createDirectories(dir.resolve("mail"));
        exec(List.of("chown", MAIL_UID + ":" + MAIL_GID, mail.toString()));
        StringBuilder vmailbox = new StringBuilder();
        for (String u : o.users) {
            vmailbox.append(u).append('@').append(DOMAIN).append(' ').append(u).append("/Maildir/\n");
        }
        Files.writeString(config.resolve("vmailbox"), vmailbox);
    }

    private void awaitListening(Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("Postfix did not listen on 127.0.0.1:" + port + " within " + timeout + "; maillog:\n" + log());
    }

    /**
     * Asks the queue manager to attempt every queued message now ({@code postqueue -f}), as an admin does after a
     * greylisting period instead of waiting for the next retry of the deferred queue.
     */
    public void flushQueue() throws IOException, InterruptedException {
        exec(List.of("/usr/sbin/postqueue", "-c", config.toString(), "-f"));
    }

    private void run(String command) throws IOException, InterruptedException {
        exec(List.of(POSTFIX.toString(), "-c", config.toString(), command));
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        return PostfixConfig.exec(command);
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** Stops Postfix ({@code postfix -c DIR stop}, waiting for the master to exit) and deletes the directory. */
    @Override
    public void close() throws IOException {
        if (running) {
            running = false;
            try {
                run("stop");
                Path pid = dir.resolve("spool").resolve("pid").resolve("master.pid");
                for (int i = 0; i < 100 && masterAlive(pid); i++) {
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                // already stopped or never fully started: still remove the directory below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a process still writing its last log line; the temp dir is harmless
        }
    }

    private static boolean masterAlive(Path pidFile) {
        try {
            String pid = Files.readString(pidFile).trim();
            return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
