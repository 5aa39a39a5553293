package org.mailsift.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Rspamd (Debian's {@code rspamd} package) on loopback, as the reference a differential test measures
 * mailsift against: {@code /etc/rspamd/rspamd.conf} with a private LOCAL_CONFDIR holding the test's local.d files,
 * every module that would go to the network switched off, no Redis (the Bayes classifier points at a closed port and
 * only logs), DNS at the given nameserver (a {@link TestDnsServer}), a normal worker on a free port and the master in
 * the foreground as this JVM's child. Hyperscan's compiled databases go to one cache directory shared by every run
 * ({@code /tmp/mailsift-rspamd-hs-cache}; the files are named by the hash of what they compile), so only the first start
 * on a machine pays Rspamd's minute of TLD compilation.
 *
 * <pre>
 * try (RspamdServer rspamd = RspamdServer.start(Map.of("multimap.conf", "..."), "127.0.0.1:" + dns.port())) {
 *     HttpResponse&lt;String&gt; r = rspamd.checkv2(message, Map.of("From", "a@b.test"));
 * }
 * </pre>
 */
public final class RspamdServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/rspamd");
    private static final Path STOCK_CONFIG = Path.of("/etc/rspamd/rspamd.conf");
    private static final Path HS_CACHE = Path.of(System.getProperty("java.io.tmpdir"), "mailsift-rspamd-hs-cache");
    /** The modules of Rspamd's stock configuration that query DNS lists, HTTP services or Redis. */
    private static final List<String> OFFLINE = List.of("rbl", "surbl", "emails", "spf", "dkim", "dmarc", "arc", "asn",
            "phishing", "fuzzy_check", "neural", "dkim_signing", "mx_check", "url_redirector", "greylist", "reputation",
            "rspamd_update", "bimi", "external_services", "antivirus", "dcc", "p0f", "clickhouse", "elastic",
            "metadata_exporter", "whitelist", "ratelimit", "replies", "history_redis", "spamtrap", "hfilter");

    private final Path dir;
    private final Process process;
    private final int port;
    /**
     * HTTP/1.1 only: Java's default HTTP/2 attempt adds {@code Upgrade: h2c} to a cleartext request, and Rspamd 3.4 then
     * answers /checkv2 with an empty result (no symbols, score 0) instead of scanning the body.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private RspamdServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isReadable(STOCK_CONFIG);
    }

    /**
     * @param localD     file name (in local.d) to content; they win over the harness's own files of the same name
     * @param nameserver host:port of the DNS server Rspamd asks
     */
    public static RspamdServer start(Map<String, String> localD, String nameserver) throws IOException {
        Path dir = Files.createTempDirectory("mailsift-rspamd");
        Path conf = dir.resolve("conf");
        Path local = Files.createDirectories(conf.resolve("local.d"));
        Path override = Files.createDirectories(conf.resolve("override.d"));
        Files.createDirectories(dir.resolve("db"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(HS_CACHE);
        for (String module : OFFLINE) {
            Files.writeString(local.resolve(module + ".conf"), "enabled = false;\n");
        }
                Files.writeString(local.resolve("classifier-bayes.conf"),
                "backend = \"redis\";\nservers = \"127.0.0.1:1\";\nautolearn = false;\n");
        Files.writeString(local.resolve("options.inc"), "dns { nameserver = [\"" + nameserver
                + "\"]; timeout = 1s; retransmits = 1; }\nhs_cache_dir = \"" + HS_CACHE + "/\";\n");
        int port = FreePort.onLoopback();
        Files.writeString(override.resolve("worker-normal.inc"), "bind_socket = \"127.0.0.1:" + port + "\";\ncount = 1;\n");
        Files.writeString(override.resolve("worker-controller.inc"),
                "bind_socket = \"127.0.0.1:" + FreePort.onLoopback() + "\";\ncount = 1;\n");
        Files.writeString(override.resolve("worker-proxy.inc"),
                "bind_socket = \"127.0.0.1:" + FreePort.onLoopback() + "\";\ncount = 1;\n");
        Files.writeString(override.resolve("worker-fuzzy.inc"),
                "bind_socket = \"127.0.0.1:" + FreePort.onLoopback() + "\";\ncount = -1;\n");
        Files.writeString(override.resolve("logging.inc"),
                "type = \"file\";\nfilename = \"$LOGDIR/rspamd.log\";\nlevel = \"info\";\n");
        for (Map.Entry<String, String> file : localD.entrySet()) {
            Path target = local.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }

        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-f", "-c", STOCK_CONFIG.toString(),
                "--var=LOCAL_CONFDIR=" + conf, "--var=DBDIR=" + dir.resolve("db"), "--var=RUNDIR=" + dir.resolve("run"),
                "--var=LOGDIR=" + dir.resolve("log")));
        if (isRoot()) {
            // Rspamd refuses to run its workers as root: they drop to the package's user, which must read and write here
            cmd.addAll(List.of("-u", "_rspamd", "-g", "_rspamd"));
            run("chmod", "755", dir.toString());
            run("chown", "-R", "_rspamd:_rspamd", dir.toString(), HS_CACHE.toString());
        }
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        RspamdServer server = new RspamdServer(dir, process, port);
        try {
            server.awaitPong(Duration.ofMinutes(5));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("failed: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Waits for the normal worker to answer /ping: the first start compiles for a minute or more on a busy machine. */
    private void awaitPong(Duration atMost) throws IOException {
        long deadline = System.nanoTime() + atMost.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(uri("/ping")).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("rspamd exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (CLIENT.send(ping, HttpResponse.BodyHandlers.ofString()).body().startsWith("pong")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("rspamd did not answer /ping within " + atMost + ": " + log());
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Scans a message as rspamc does (POST /checkv2 with the envelope as headers); returns the JSON reply. */
    public String checkv2(byte[] message, List<Map.Entry<String, String>> headers) throws IOException {
        return checkv2(port, message, headers);
    }

    /** POST /checkv2 to any Rspamd-compatible scan worker on loopback (Rspamd itself or mailsift). */
    public static String checkv2(int port, byte[] message, List<Map.Entry<String, String>> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkv2"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(message));
        headers.forEach(h -> request.header(h.getKey(), h.getValue()));
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("port " + port + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The tail of Rspamd's log, for failure messages. */
    public String log() {
        try {
            Path file = dir.resolve("log/rspamd.log");
            String text = Files.exists(file) ? Files.readString(file) : Files.readString(dir.resolve("stdout.log"));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
