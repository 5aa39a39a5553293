package org.mailsift.sieve.deliver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which senders got a vacation reply, per user, so each gets at most one per :days period (RFC 5230
 * section 4.2). One small text file per user ("sha256(handle, sender) expiry-epoch-seconds" lines) under the
 * vacation directory, updated under a file lock and replaced atomically; expired lines are dropped on update.
 */
public final class VacationMemory {
    private final Path dir;

    public VacationMemory(Path dir) {
        this.dir = dir;
    }

    /**
     * Records a reply to {@code sender} for {@code period} unless one was recorded within it; returns whether the
     * caller should reply now.
     */
    public boolean claim(String user, String handle, String sender, Duration period, Instant now) throws IOException {
        Files.createDirectories(dir);
        String key = digest(handle + "\0" + sender.toLowerCase(java.util.Locale.ROOT));
        Path file = dir.resolve(HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8)) + ".vacation");
        Path lockFile = dir.resolve(file.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockChannel.lock(); // released when the channel closes
            Map<String, Long> entries = read(file, now);
            Long until = entries.get(key);
            if (until != null && until > now.getEpochSecond()) {
                return false;
            }
            entries.put(key, now.plus(period).getEpochSecond());
            write(file, entries);
            return true;
        }
    }

    private static Map<String, Long> read(Path file, Instant now) throws IOException {
        Map<String, Long> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split(" ");
            if (f.length == 2) {
                try {
                    long until = Long.parseLong(f[1]);
                    if (until > now.getEpochSecond()) {
                        entries.put(f[0], until);
                    }
                } catch (NumberFormatException ignored) {
                    // a damaged line only forgets one reply
                }
            }
        }
        return entries;
    }

    private static void write(Path file, Map<String, Long> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
