package org.mailsift.testsupport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's dnsmasq (package dnsmasq-base) as an authoritative server on a free loopback port, for end-to-end tests
 * of DNS checks: every zone given is served authoritatively (names without records get NXDOMAIN), names outside
 * them get REFUSED, nothing is forwarded. The test is skipped when dnsmasq is not installed or not root.
 */
public final class DnsmasqServer implements AutoCloseable {
    public static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final int port;
    private final Path dir;

    private DnsmasqServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(DNSMASQ) && "root".equals(System.getProperty("user.name"));
    }

    /** What to serve. */
    public static final class Zones {
        private final Set<String> zones = new LinkedHashSet<>();
        private final List<String> records = new ArrayList<>();

        /** Serves {@code zone} authoritatively (NXDOMAIN for names in it without records). */
        public Zones zone(String zone) {
            zones.add(zone);
            return this;
        }

        public Zones a(String name, String ip) {
            records.add("--host-record=" + name + "," + ip);
            return this;
        }

        /**
         * One TXT record; a text longer than 200 bytes becomes several character-strings (DKIM keys). On dnsmasq's
         * command line quotes would be served literally and a comma starts a new string, so neither may appear.
         */
        public Zones txt(String name, String text) {
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0) {
                throw new IllegalArgumentException("dnsmasq cannot serve a TXT text with ',' or '\"' from its command line");
            }
            StringBuilder r = new StringBuilder("--txt-record=").append(name);
            for (int i = 0; i == 0 || i < text.length(); i += 200) {
                r.append(',').append(text, i, Math.min(text.length(), i + 200));
            }
            records.add(r.toString());
            return this;
        }

        public Zones mx(String name, String host, int preference) {
            records.add("--mx-host=" + name + "," + host + "," + preference);
            return this;
        }
    }

    public static Zones zones() {
        return new Zones();
    }

    public static DnsmasqServer start(Zones zones) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(DNSMASQ), "dnsmasq not installed (" + DNSMASQ + ", package dnsmasq-base)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "dnsmasq on a private port needs root here");
        Path dir = Files.createTempDirectory("mailsift-dnsmasq-");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freeUdpPort();
            List<String> cmd = new ArrayList<>(List.of(DNSMASQ.toString(), "--keep-in-foreground", "--port=" + port,
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-poll",
                    "--user=root", "--group=root", "--pid-file=" + dir.resolve("pid"),
                    "--log-facility=" + dir.resolve("log"), "--log-queries", "--local-ttl=60",
                    "--auth-server=ns.mailsift.test,127.0.0.1", "--conf-file=/dev/null"));
            for (String z : zones.zones) {
                cmd.add("--auth-zone=" + z);
            }
            cmd.addAll(zones.records);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
            DnsmasqServer server = new DnsmasqServer(p, port, dir);
            if (server.awaitAnswering(Duration.ofSeconds(10))) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not answer on port " + port + ": " + Files.readString(dir.resolve("stdout")));
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as options.inc {@code dns { nameserver }} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The query log. */
    public String log() throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean awaitAnswering(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        byte[] query = query("ns.mailsift.test");
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    return false;
                }
                s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
                try {
                    s.receive(new DatagramPacket(new byte[512], 512));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not up yet: ask again
                }
            }
        }
        return false;
    }

    private static byte[] query(String name) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
