package org.mailsift.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Dovecot 2.3 (Debian's {@code dovecot-imapd}, optionally {@code dovecot-lmtpd} and {@code dovecot-sieve})
 * started as a foreground child process on free loopback ports, with everything (config, runtime sockets, state, log,
 * Maildirs) under one temp directory. Users come from a passwd-file with {PLAIN} passwords; mail is stored as the
 * system user {@code mail} (uid 8), because Dovecot refuses to deliver as root.
 *
 * <p>Use {@link #builder()} then {@link Builder#start()}, or wrap it in a {@link DovecotExtension}. {@link #available()}
 * tells whether the binary is installed and we run as root (Dovecot must start as root to switch to {@code mail}).
 */
public final class DovecotServer implements AutoCloseable {
    public static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    public static final Path SIEVEC = Path.of("/usr/bin/sievec");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Builder spec;
    private final Path dir;
    private final Path config;
    private int imapPort;
    private int lmtpPort;
    private int imapsPort = -1;
    private Process process;

    private DovecotServer(Builder spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
        this.config = dir.resolve("dovecot.conf");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a private Dovecot can run here: the binary exists and we are root. */
    public static boolean available() {
        return Files.isExecutable(DOVECOT) && "root".equals(System.getProperty("user.name"));
    }

    public String host() {
        return "127.0.0.1";
    }

    public int imapPort() {
        return imapPort;
    }

    /** The implicit-TLS IMAP port, or -1 unless {@link Builder#tls()} was asked for. */
    public int imapsPort() {
        return imapsPort;
    }

    /** The self-signed certificate (PEM, CN and SAN "localhost" and 127.0.0.1) when {@link Builder#tls()} was asked for. */
    public Path certificate() {
        return dir.resolve("tls/cert.pem");
    }

    /** The LMTP port, or -1 when the LMTP listener was not requested. */
    public int lmtpPort() {
        return lmtpPort;
    }

    /** The temp directory holding config, runtime files, log and mail. */
    public Path directory() {
        return dir;
    }

    public Path configFile() {
        return config;
    }

    public Path logFile() {
        return dir.resolve("dovecot.log");
    }

    /** The user's home; Maildir is {@code home/Maildir}. */
    public Path home(String user) {
        return dir.resolve("mail").resolve(user);
    }

    /** The user's Maildir root (INBOX's cur/new/tmp; other folders are {@code .Name} below it). */
    public Path maildir(String user) {
        return home(user).resolve("Maildir");
    }

    public Map<String, String> users() {
        return Map.copyOf(spec.users);
    }

    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops and starts again on the same ports (mail and state kept), e.g. to break IDLE connections. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the server (SIGTERM to the master, which stops its children); files are kept until {@link #close()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // as with shutdown_clients = yes under systemd: the imap processes of open sessions go too (Dovecot's master
        // alone leaves them running when it gets SIGTERM), so clients see their connections drop
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        children.forEach(ProcessHandle::destroy);
        // wait until the port is really free for a restart
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && accepting(imapPort)) {
            sleep(20);
        }
    }

    /** Compiles a global Sieve script with Dovecot's sievec (as root, so mail-owned processes need not write .svbin). */
    public void sievec(Path script) {
        run(List.of(SIEVEC.toString(), "-c", config.toString(), script.toString()), "sievec " + script);
    }

    /** Runs {@code doveadm -c <conf> args...} and returns its stdout (e.g. {@code doveadm user '*'}). */
    public String doveadm(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/doveadm", "-c", config.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, "doveadm");
    }

    /** Stops at once (SIGKILL to the master and all its children) and deletes the temp dir. */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        deleteTree(dir);
    }

    // ------------------------------------------------------------------------------------------------------------

    private void prepare() throws IOException {
        for (String d : List.of("run", "state", "mail", "sieve", "sieve-bin")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : List.of("sieve", "sieve-bin")) {
            Files.setPosixFilePermissions(dir.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        chown("mail:mail", dir.resolve("mail"));
        StringBuilder users = new StringBuilder();
        spec.users.forEach((u, p) -> users.append(u).append(":{PLAIN}").append(p).append("::::::\n"));
        Path usersFile = dir.resolve("users");
        Files.writeString(usersFile, users.toString());
        chown("root:dovecot", usersFile);
        Files.setPosixFilePermissions(usersFile, PosixFilePermissions.fromString("rw-r-----"));
        if (spec.masterUser != null) {
            Path masters = dir.resolve("master-users");
            Files.writeString(masters, spec.masterUser + ":{PLAIN}" + spec.masterPassword + "::::::\n");
            chown("root:dovecot", masters);
            Files.setPosixFilePermissions(masters, PosixFilePermissions.fromString("rw-r-----"));
        }
        if (spec.tls) {
            Files.createDirectories(dir.resolve("tls"));
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", dir.resolve("tls/key.pem").toString(), "-out", dir.resolve("tls/cert.pem").toString()), "openssl req");
        }
        Files.writeString(config, renderConfig());
        for (Path script : scriptsToCompile()) {
            sievec(script);
        }
    }

    private List<Path> scriptsToCompile() {
        List<Path> out = new ArrayList<>();
        if (spec.sieveBefore != null) {
            out.add(spec.sieveBefore);
        }
        for (ImapSieveRule r : spec.imapSieveRules) {
            out.add(r.beforeScript());
        }
        return out;
    }

    /** dovecot.conf from the template resources in {@code org/mailsift/testsupport/dovecot/}. */
    String renderConfig() {
        String d = dir.toString();
        boolean imapSieve = !spec.imapSieveRules.isEmpty();
        boolean sieve = spec.sieveBefore != null || imapSieve || spec.lmtp;
        StringBuilder mailboxes = new StringBuilder();
        spec.mailboxes.forEach((name, use) -> mailboxes.append(template("mailbox.conf", Map.of("name", name,
                "special_use", use.isEmpty() ? "" : "    special_use = " + use + "\n"))));
        Map<String, String> v = new HashMap<>();
        v.put("name", dir.getFileName().toString());
        v.put("dir", d);
        v.put("lmtp_protocol", spec.lmtp ? " lmtp" : "");
        v.put("ssl", spec.tls ? template("ssl.conf", Map.of("dir", d)) : "ssl = no\n");
        v.put("master_passdb", spec.masterUser == null ? "" : template("master-passdb.conf", Map.of("dir", d)));
        v.put("separator", spec.separator);
        v.put("mailboxes", mailboxes.toString());
        v.put("imap_port", String.valueOf(imapPort));
        v.put("imaps_port", String.valueOf(spec.tls ? imapsPort : 0));
        v.put("imaps_ssl", spec.tls ? "yes" : "no");
        // high-performance mode: a few login processes serve many connections (benchmarks with many accounts)
        v.put("login_pool", spec.loginProcesses > 0
                ? template("login-pool.conf", Map.of("processes", String.valueOf(spec.loginProcesses))) : "");
        v.put("imap_process_limit", String.valueOf(spec.imapProcessLimit));
        v.put("imap_client_limit", spec.imapClientLimit > 1 ? "  client_limit = " + spec.imapClientLimit + "\n" : "");
        v.put("lmtp", spec.lmtp ? template("lmtp.conf", Map.of("lmtp_port", String.valueOf(lmtpPort))) : "");
        v.put("imap_sieve_plugin", imapSieve ? "  mail_plugins = $mail_plugins imap_sieve\n" : "");
        v.put("sieve", sieve ? template("sieve.conf", Map.of(
                "sieve_before", spec.sieveBefore != null ? "  sieve_before = " + spec.sieveBefore + "\n" : "",
                "imapsieve", imapSieve ? imapSieveSettings() : "")) : "");
        v.put("extra", spec.extraConfig.isEmpty() ? "" : spec.extraConfig + "\n");
        return template("dovecot.conf", v);
    }

    private String imapSieveSettings() {
        StringBuilder rules = new StringBuilder();
        int i = 1;
        for (ImapSieveRule r : spec.imapSieveRules) {
            String k = "  imapsieve_mailbox" + i++;
            rules.append(k).append("_name = ").append(r.mailbox()).append('\n');
            if (r.from() != null) {
                rules.append(k).append("_from = ").append(r.from()).append('\n');
            }
            rules.append(k).append("_causes = ").append(r.causes()).append('\n');
            rules.append(k).append("_before = file:").append(r.beforeScript()).append('\n');
        }
        return template("imapsieve.conf", Map.of("pipe_bin_dir",
                String.valueOf(spec.sievePipeBinDir != null ? spec.sievePipeBinDir : dir.resolve("sieve-bin")),
                "rules", rules.toString()));
    }

    /** A template resource with every {@code ${key}} replaced; a key without a value is a bug here, not a blank. */
    private static String template(String name, Map<String, String> values) {
        String text;
        try (var in = DovecotServer.class.getResourceAsStream("dovecot/" + name)) {
            text = new String(java.util.Objects.requireNonNull(in, name).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([a-z_]+)}").matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("template " + name + ": no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private void launch() {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir.resolve("run/master.pid"));
                ProcessBuilder pb = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("dovecot.stdout").toFile());
                process = pb.start();
                awaitGreeting();
                return;
            } catch (IOException | IllegalStateException e) {
                String why = e.getMessage() + "\n" + tail(log()) + tail(read(dir.resolve("dovecot.stdout")));
                stop();
                boolean portClash = why.contains("Address already in use");
                if (!portClash || attempt >= 3 || spec.fixedPorts) {
                    throw new IllegalStateException("dovecot did not start: " + why, e);
                }
                // another process took our port between probing and binding: pick new ones
                pickPorts();
                try {
                    Files.writeString(config, renderConfig());
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
        }
    }

    private void awaitGreeting() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dovecot exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host(), imapPort), 200);
                s.setSoTimeout(2000);
                String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (greeting != null && greeting.startsWith("* OK")) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("no IMAP greeting on port " + imapPort + " within " + START_TIMEOUT);
    }

    private void pickPorts() {
        imapPort = spec.imapPort > 0 ? spec.imapPort : FreePort.onLoopback();
        lmtpPort = !spec.lmtp ? -1 : spec.lmtpPort > 0 ? spec.lmtpPort : FreePort.onLoopback();
        imapsPort = spec.tls ? FreePort.onLoopback() : -1;
    }

    private static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 100);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private static void chown(String owner, Path path) {
        run(List.of("chown", "-R", owner, path.toString()), "chown " + path);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String s) {
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir we could not fully remove is not worth failing a test for
        }
    }

    /**
     * One IMAPSieve rule ({@code imapsieve_mailboxN_*}).
     *
     * @param mailbox      destination mailbox name or {@code *}
     * @param from         source mailbox name for {@code _from}, or null
     * @param causes       e.g. "COPY APPEND" (Dovecot reports MOVE as COPY)
     * @param beforeScript the script, compiled with sievec at start
     */
    public record ImapSieveRule(String mailbox, String from, String causes, Path beforeScript) {
    }

    /** How to build the server. Defaults: INBOX plus Junk (\Junk), Trash (\Trash), Sent (\Sent), separator "/". */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String> mailboxes = new LinkedHashMap<>();
        private final List<ImapSieveRule> imapSieveRules = new ArrayList<>();
        private String masterUser;
        private String masterPassword;
        private String separator = "/";
        private int imapPort;
        private boolean lmtp;
        private int lmtpPort;
        private boolean fixedPorts;
        private Path sieveBefore;
        private Path sievePipeBinDir;
        private String extraConfig = "";
        private int imapProcessLimit = 1024;
        private int imapClientLimit = 1;
        private int loginProcesses;
        private boolean tls;

        private Builder() {
            mailboxes.put("Junk", "\\Junk");
            mailboxes.put("Trash", "\\Trash");
            mailboxes.put("Sent", "\\Sent");
        }

        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** A Dovecot master user: log in as {@code user*master} with the master password. */
        public Builder masterUser(String name, String password) {
            this.masterUser = name;
            this.masterPassword = password;
            return this;
        }

        /**
         * An auto-subscribed mailbox, with a special-use flag such as {@code \Junk} or "" for none. A default mailbox
         * (Junk, Trash, Sent) with the same special-use is replaced, so {@code mailbox("Spam", "\\Junk")} gives a
         * Junk folder named Spam and no folder named Junk.
         */
        public Builder mailbox(String name, String specialUse) {
            if (!specialUse.isEmpty()) {
                mailboxes.entrySet().removeIf(e -> e.getValue().equalsIgnoreCase(specialUse) && !e.getKey().equals(name));
            }
            mailboxes.put(name, specialUse);
            return this;
        }

        /** Removes a default mailbox (e.g. to test a server without special-use Junk). */
        public Builder withoutMailbox(String name) {
            mailboxes.remove(name);
            return this;
        }

        public Builder separator(String separator) {
            this.separator = separator;
            return this;
        }

        /** Also an implicit-TLS listener ({@link #imapsPort()}) with a fresh self-signed certificate for "localhost". */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** A fixed IMAP port (default: a free one). */
        public Builder imapPort(int port) {
            this.imapPort = port;
            this.fixedPorts = true;
            return this;
        }

        /** Adds the LMTP listener on a free port (Sieve enabled for LMTP delivery). */
        public Builder lmtp() {
            this.lmtp = true;
            return this;
        }

        public Builder lmtpPort(int port) {
            this.lmtp = true;
            this.lmtpPort = port;
            this.fixedPorts = true;
            return this;
        }

        /** A global {@code sieve_before} script, compiled with sievec at start. */
        public Builder sieveBefore(Path script) {
            this.sieveBefore = script;
            return this;
        }

        /** An IMAPSieve rule; enables the imap_sieve plugin with sieve_imapsieve + sieve_extprograms. */
        public Builder imapSieveRule(String mailbox, String from, String causes, Path beforeScript) {
            imapSieveRules.add(new ImapSieveRule(mailbox, from, causes, beforeScript));
            return this;
        }

        /** Directory of programs for vnd.dovecot.pipe (default: {@code <dir>/sieve-bin}); must be readable by mail. */
        public Builder sievePipeBinDir(Path dir) {
            this.sievePipeBinDir = dir;
            return this;
        }

        /** Raw configuration appended at the end of dovecot.conf. */
        public Builder extraConfig(String config) {
            this.extraConfig = this.extraConfig.isEmpty() ? config : this.extraConfig + "\n" + config;
            return this;
        }

        /** For many concurrent connections: imap process limit and clients per imap process. */
        public Builder imapProcesses(int processLimit, int clientsPerProcess) {
            this.imapProcessLimit = processLimit;
            this.imapClientLimit = clientsPerProcess;
            return this;
        }

        /** Long-lived login processes (Dovecot's high-performance mode), for benchmarks with many logins. */
        public Builder loginProcesses(int count) {
            this.loginProcesses = count;
            return this;
        }

        /** Writes the config into a fresh temp dir and starts Dovecot; returns when it greets on the IMAP port. */
        public DovecotServer start() {
            if (!available()) {
                throw new IllegalStateException(DOVECOT + " missing or not running as root");
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("mailsift-dovecot-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DovecotServer server = new DovecotServer(this, dir);
            try {
                server.pickPorts();
                server.prepare();
                server.launch();
                return server;
            } catch (IOException e) {
                server.close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
