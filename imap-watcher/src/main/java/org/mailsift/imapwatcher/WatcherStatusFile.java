package org.mailsift.imapwatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.imapwatcher.AccountStatus.AccountSnapshot;

/**
 * The watcher's per-account counters as a tab-separated file in the data directory
 * ({@code imap-watcher/status.tsv}), rewritten by the running daemon; {@code mailsift watcher status} reads it.
 */
public final class WatcherStatusFile {
    public static final String NAME = "status.tsv";
    private static final String HEADER = "account\tstate\tlearned_spam\tlearned_ham\terrors\tlast_event_at\tlast_event\tlast_error_at\tlast_error\tfiled_by_filter";

    private WatcherStatusFile() {
    }

    public static Path in(Path dataDir) {
        return dataDir.resolve("imap-watcher").resolve(NAME);
    }

    public static void write(Path file, List<AccountSnapshot> accounts) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# written " + Instant.now());
        lines.add(HEADER);
        for (AccountSnapshot a : accounts) {
            lines.add(String.join("\t", clean(a.account()), a.state().name(), Long.toString(a.learnedSpam()),
                    Long.toString(a.learnedHam()), Long.toString(a.errors()), time(a.lastEventAt()), clean(a.lastEvent()),
                    time(a.lastErrorAt()), clean(a.lastError()), Long.toString(a.filedByFilter())));
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static List<AccountSnapshot> read(Path file) throws IOException {
        List<AccountSnapshot> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.startsWith("account\t") || line.isBlank()) {
                continue;
            }
            String[] p = line.split("\t", -1);
            out.add(new AccountSnapshot(p[0], AccountStatus.Connection.valueOf(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
                    Long.parseLong(p[4]), empty(p[6]), instant(p[5]), empty(p[8]), instant(p[7]),
                    p.length > 9 ? Long.parseLong(p[9]) : 0)); // files written before the column existed
        }
        return out;
    }

    /** When the file was last written (the daemon rewrites it on every change and at least every minute). */
    public static Instant writtenAt(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant();
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String time(Instant t) {
        return t == null ? "" : t.toString();
    }

    private static Instant instant(String s) {
        return s.isEmpty() ? null : Instant.parse(s);
    }

    private static String empty(String s) {
        return s.isEmpty() ? null : s;
    }
}
