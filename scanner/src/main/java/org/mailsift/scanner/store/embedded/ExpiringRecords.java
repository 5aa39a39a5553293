package org.mailsift.scanner.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small records that expire (greylisting timestamps, remembered Message-IDs, rate buckets): the embedded counterpart
 * of Redis keys with a TTL, for policy modules when no Redis is configured. All records live in memory; every change
 * is appended to a log file before the call returns (written to the OS, not forced: a daemon restart or crash keeps
 * it, a power cut may lose the last seconds, which costs at most one more greylisting). The log is rewritten with
 * only the live records when it has grown to several times their size, atomically by rename; on open, records are
 * read up to the first torn one and expired ones are dropped.
 *
 * <p>Bounded: at most {@code maxRecords} live records; when full, expired records are dropped and then the tenth that
 * would expire soonest (one warning in the log). Every operation is atomic ({@link #atomically}); one process holds
 * the file ({@code NAME.lock}).
 */
public final class ExpiringRecords implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExpiringRecords.class);
    private static final int MAX_RECORD = 64 << 10;
    private static final long MIN_COMPACT_BYTES = 4L << 20;

    /** A live record: its value and when it expires (epoch milliseconds). */
    public record Entry(String value, long expiresAtMillis) {
    }

    /** What an atomic operation may do; valid only inside {@link #atomically}. */
    public interface Records {
        /** The live value of {@code key}, or null when absent or expired. */
        Entry get(String key);

        /** Sets {@code key} to {@code value} until {@code expiresAtMillis}. */
        void put(String key, String value, long expiresAtMillis);

        /** Extends (or shortens) the life of an existing record, as Redis EXPIRE; false when there is none. */
        boolean expire(String key, long expiresAtMillis);

        /** Now, by the store's clock (epoch milliseconds). */
        long nowMillis();
    }

    private final Path file;
    private final int maxRecords;
    private final Clock clock;
    private final Map<String, Entry> records = new HashMap<>();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private FileChannel channel;
    private long liveBytes;
    private boolean closed;
    private final Records view = new View();

    private ExpiringRecords(Path dir, String name, int maxRecords, Clock clock) throws IOException {
        this.file = dir.resolve(name + ".records");
        this.maxRecords = maxRecords;
        this.clock = clock;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException(file + " is in use by another process (the daemon?)");
        }
        fileLock = lock;
        Files.deleteIfExists(tmp());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long good = load();
        if (good < channel.size()) {
            log.warn("{}: dropping {} bytes of an incomplete last record", file, channel.size() - good);
            channel.truncate(good);
        }
        channel.position(good);
        if (good > MIN_COMPACT_BYTES && good > 3 * liveBytes) {
            compact();
        }
    }

    /**
     * Opens (creating) {@code dir/NAME.records}.
     *
     * @throws UncheckedIOException when it cannot be read or another process holds it
     */
    public static ExpiringRecords open(Path dir, String name, int maxRecords, Clock clock) {
        try {
            return new ExpiringRecords(dir, name, maxRecords, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(name + ".records") + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code op} alone: no other operation sees the records between its reads and its writes. */
    public synchronized <T> T atomically(Function<Records, T> op) {
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
        return op.apply(view);
    }

    /** How many records are live now (expired ones not yet swept may count until the next sweep). */
    public synchronized int size() {
        return records.size();
    }

    private final class View implements Records {
        @Override
        public Entry get(String key) {
            Entry e = records.get(key);
            if (e == null) {
                return null;
            }
            if (e.expiresAtMillis() <= clock.millis()) {
                records.remove(key);
                liveBytes -= recordBytes(key, e.value());
                return null;
            }
            return e;
        }

        @Override
        public void put(String key, String value, long expiresAtMillis) {
            if (!records.containsKey(key) && records.size() >= maxRecords) {
                makeRoom();
            }
            Entry old = records.put(key, new Entry(value, expiresAtMillis));
            if (old != null) {
                liveBytes -= recordBytes(key, old.value());
            }
            liveBytes += recordBytes(key, value);
            append(key, value, expiresAtMillis);
        }

        @Override
        public boolean expire(String key, long expiresAtMillis) {
            Entry e = get(key);
            if (e == null) {
                return false;
            }
            put(key, e.value(), expiresAtMillis);
            return true;
        }

        @Override
        public long nowMillis() {
            return clock.millis();
        }
    }

    private void makeRoom() {
        long now = clock.millis();
        int before = records.size();
        sweep(now);
        if (records.size() >= maxRecords) {
            List<Map.Entry<String, Entry>> all = new ArrayList<>(records.entrySet());
            all.sort(Comparator.comparingLong(e -> e.getValue().expiresAtMillis()));
            for (Map.Entry<String, Entry> e : all.subList(0, Math.max(1, maxRecords / 10))) {
                records.remove(e.getKey());
                liveBytes -= recordBytes(e.getKey(), e.getValue().value());
            }
            log.warn("{}: {} records reached the limit of {}; dropped the {} that expire soonest", file, before,
                    maxRecords, before - records.size());
        }
    }

    private void sweep(long now) {
        Iterator<Map.Entry<String, Entry>> it = records.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().expiresAtMillis() <= now) {
                liveBytes -= recordBytes(e.getKey(), e.getValue().value());
                it.remove();
            }
        }
    }

    private void append(String key, String value, long expiresAtMillis) {
        try {
            write(channel, key, value, expiresAtMillis);
            long size = channel.position();
            if (size > MIN_COMPACT_BYTES && size > 3 * liveBytes) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rewrites the file with the live records only, then replaces the old one by rename. */
    private void compact() throws IOException {
        sweep(clock.millis());
        Path tmp = tmp();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (Map.Entry<String, Entry> e : records.entrySet()) {
                write(out, e.getKey(), e.getValue().value(), e.getValue().expiresAtMillis());
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
        liveBytes = channel.size();
    }

    private Path tmp() {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static void write(FileChannel ch, String key, String value, long expiresAtMillis) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        int len = 8 + 4 + k.length + 4 + v.length;
        if (len > MAX_RECORD) {
            throw new IllegalArgumentException("record too large: " + len + " bytes");
        }
        CrcRecords.append(ch, CrcRecords.frame(len).putLong(expiresAtMillis).putInt(k.length).put(k).putInt(v.length).put(v));
    }

    /** Reads every complete record; returns where the good part of the file ends. */
    private long load() throws IOException {
        long now = clock.millis();
        long good = CrcRecords.readAll(channel, 16, MAX_RECORD, p -> {
            long expires = p.getLong();
            byte[] k = new byte[p.getInt()];
            p.get(k);
            byte[] v = new byte[p.getInt()];
            p.get(v);
            String key = new String(k, StandardCharsets.UTF_8);
            String value = new String(v, StandardCharsets.UTF_8);
            Entry old = records.remove(key);
            if (old != null) {
                liveBytes -= recordBytes(key, old.value());
            }
            if (expires > now) {
                records.put(key, new Entry(value, expires));
                liveBytes += recordBytes(key, value);
            }
        });
        if (records.size() > maxRecords) {
            makeRoom();
        }
        return good;
    }

    private static long recordBytes(String key, String value) {
        return 8 + 8 + 4 + key.length() + 4 + value.length();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            log.warn("closing {}: {}", file, e.toString());
        } finally {
            try {
                fileLock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes away with the process anyway
            }
        }
    }
}
