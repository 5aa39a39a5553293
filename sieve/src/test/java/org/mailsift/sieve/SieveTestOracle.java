package org.mailsift.sieve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pigeonhole's {@code sieve-test} (Debian dovecot-sieve) as an oracle for our jSieve semantics: it runs a script
 * against a message without a server and prints the actions it would perform. We reduce both sides to the same
 * lines ("store Junk flags=\seen", "redirect x@y", "reject", "discard", "vacation") and compare.
 * The config enables the extensions we implement and the spamtest header settings for X-Spamd-Result.
 */
public final class SieveTestOracle {
    public static final Path SIEVE_TEST = Path.of("/usr/bin/sieve-test");

    private final Path dir;
    private final String uid;

    private SieveTestOracle(Path dir, String uid) {
        this.dir = dir;
        this.uid = uid;
    }

    public static boolean available() {
        return Files.isExecutable(SIEVE_TEST);
    }

    public static SieveTestOracle create(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Object owner = Files.getAttribute(dir, "unix:uid");
        // sieve-test drops privileges to mail_uid and refuses root; as root use nobody
        String uid = owner.toString().equals("0") ? "65534" : owner.toString();
        Files.createDirectories(dir.resolve("Maildir"));
        Files.writeString(dir.resolve("dovecot.conf"), """
                mail_location = maildir:%s/Maildir
                plugin {
                  sieve_extensions = +special-use +spamtest +spamtestplus
                  sieve_spamtest_status_type = score
                  sieve_spamtest_status_header = X-Spamd-Result: [^[]*\\[(-?[0-9]+\\.?[0-9]*) /
                  sieve_spamtest_max_header = X-Spamd-Result: [^[]*\\[-?[0-9.]+ / (-?[0-9]+\\.?[0-9]*)\\]
                }
                """.formatted(dir));
        return new SieveTestOracle(dir, uid);
    }

    /** The normalised action lines sieve-test prints for this script and message. */
    public List<String> run(String script, byte[] message, String envelopeFrom, String envelopeTo) throws IOException, InterruptedException {
        Path s = Files.writeString(dir.resolve("script.sieve"), script);
        Path m = Files.write(dir.resolve("message.eml"), message);
        List<String> cmd = new ArrayList<>(List.of(SIEVE_TEST.toString(), "-c", dir.resolve("dovecot.conf").toString(),
                "-o", "mail_uid=" + uid, "-o", "mail_gid=" + uid, "-o", "mail_home=" + dir));
        if (envelopeFrom != null) {
            cmd.addAll(List.of("-f", envelopeFrom));
        }
        if (envelopeTo != null) {
            cmd.addAll(List.of("-r", envelopeTo));
        }
        cmd.add(s.toString());
        cmd.add(m.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return normalise(out);
    }

    /** Flags as one comparable word: lower case, sorted, comma-separated. */
    public static String flags(java.util.Collection<String> flags) {
        return flags.stream().map(f -> f.trim().toLowerCase(java.util.Locale.ROOT)).filter(f -> !f.isEmpty()).sorted()
                .collect(java.util.stream.Collectors.joining(","));
    }

    /**
     * Reads the "Performed actions" and "Implicit keep" sections: "store message in folder: X" (with its
     * "+ add IMAP flags:" line), "redirect message to: &lt;x&gt;", "reject message", "discard", "send vacation".
     */
    static List<String> normalise(String out) {
        List<String> lines = new ArrayList<>();
        String current = null;
        for (String raw : out.split("\n")) {
            String l = raw.trim();
            if (l.startsWith("* ")) {
                if (current != null) {
                    lines.add(current);
                }
                String a = l.substring(2);
                if (a.startsWith("store message in folder: ")) {
                    current = "store " + a.substring("store message in folder: ".length());
                } else if (a.startsWith("redirect message to: ")) {
                    current = "redirect " + a.substring("redirect message to: ".length()).replaceAll("[<>]", "");
                } else if (a.startsWith("reject message")) {
                    current = "reject";
                } else if (a.startsWith("send vacation")) {
                    current = "vacation";
                } else if (a.startsWith("discard")) {
                    current = null;
                } else {
                    current = "unknown " + a;
                }
            } else if (l.startsWith("+ add IMAP flags: ") && current != null) {
                current += " flags=" + flags(List.of(l.substring("+ add IMAP flags: ".length()).split(" ")));
            }
        }
        if (current != null) {
            lines.add(current);
        }
        return lines;
    }
}
