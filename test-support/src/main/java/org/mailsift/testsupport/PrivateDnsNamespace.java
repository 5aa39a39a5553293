package org.mailsift.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program that only uses the system resolver (dkimverify, opendkim-testmsg) in a private network and mount
 * namespace whose /etc/resolv.conf names a dnsmasq on 127.0.0.1:53 serving the given TXT records; nothing of the
 * host's DNS is seen or changed. Needs root and unshare ({@link #available()}).
 */
public final class PrivateDnsNamespace {
    private PrivateDnsNamespace() {
    }

    public static boolean available() {
        try {
            return Files.isExecutable(DnsmasqServer.DNSMASQ)
                    && new ProcessBuilder("unshare", "--mount", "--net", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Exit code of {@code command} with stdin from {@code input}; its output goes to {@code dir/ns-output.txt}. */
    public static int run(Path dir, Map<String, String> txt, Path input, String... command)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        StringBuilder conf = new StringBuilder();
        txt.forEach((name, value) -> {
            conf.append("txt-record=").append(name);
            for (int i = 0; i < value.length(); i += 200) {
                conf.append(",\"").append(value, i, Math.min(value.length(), i + 200)).append('"');
            }
            conf.append('\n');
        });
        Path confFile = Files.writeString(dir.resolve("dnsmasq.conf"), conf);
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        Path pid = dir.resolve("ns-dnsmasq.pid");
        String script = "set -e; ip link set lo up; mount --bind " + resolv + " /etc/resolv.conf; "
                + DnsmasqServer.DNSMASQ + " --conf-file=" + confFile + " --no-hosts --no-resolv --port=53"
                + " --listen-address=127.0.0.1 --bind-interfaces --user=root --pid-file=" + pid
                + "; rc=0; \"$@\" || rc=$?; kill $(cat " + pid + ") 2>/dev/null || true; exit $rc";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--net", "sh", "-c", script, "sh"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectInput(input.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ns-output.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return p.exitValue();
    }
}
