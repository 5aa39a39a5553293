package org.mailsift.scanner.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.mailsift.core.learn.LearnClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only learn journal. Each record is {@code [int length][int crc32c][payload]} and is forced to disk before
 * the learn is acknowledged. On open, records are replayed up to the first incomplete or corrupt one (a learn cut by
 * {@code kill -9} or a power cut was never acknowledged) and the file is truncated there.
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final int MAX_RECORD = 64 << 20;

    private final Path path;
    private final FileChannel channel;
    private final Object syncLock = new Object();
    private long synced;

    /** Receives the learns found in the journal. */
    interface Replay {
        void learn(String user, LearnClass c, String digest, long[] tokens);
    }

    private Journal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.synced = -1;
    }

    /** Opens (creating) the journal, replays its complete records into {@code replay} and drops a torn tail. */
    static Journal open(Path path, Replay replay) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long good = replayAll(ch, replay);
        if (good < ch.size()) {
            log.warn("{}: dropping {} bytes of an incomplete last record (a learn interrupted before it was acknowledged)",
                    path, ch.size() - good);
            ch.truncate(good);
            ch.force(true);
        }
        ch.position(good);
        return new Journal(path, ch);
    }

    /**
     * Replays the complete records of a journal another process may be appending to, without writing anything (a
     * torn tail is only skipped); a missing journal has none.
     */
    static void replayReadOnly(Path path, Replay replay) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            replayAll(ch, replay);
        } catch (java.nio.file.NoSuchFileException gone) {
            // folded into a newer snapshot meanwhile, or never written
        }
    }

    private static long replayAll(FileChannel ch, Replay replay) throws IOException {
        return CrcRecords.readAll(ch, 1, MAX_RECORD, p -> decode(p, replay));
    }

    /**
     * Appends one learn (written, not yet forced) and returns the journal position that {@link #syncTo(long)} must
     * reach for it to be durable. Callers hold the store's lock; the force happens outside it (group commit).
     */
    long append(String user, LearnClass c, String digest, long[] tokens) throws IOException {
        byte[] u = user == null ? new byte[0] : user.getBytes(StandardCharsets.UTF_8);
        byte[] d = digest.getBytes(StandardCharsets.UTF_8);
        int len = 1 + 1 + 4 + u.length + 4 + d.length + 4 + 8 * tokens.length;
        ByteBuffer b = CrcRecords.frame(len);
        b.put((byte) 1); // record type: learn
        b.put((byte) (c == LearnClass.SPAM ? 1 : 0));
        b.putInt(user == null ? -1 : u.length).put(u);
        b.putInt(d.length).put(d);
        b.putInt(tokens.length);
        for (long t : tokens) {
            b.putLong(t);
        }
        return CrcRecords.append(channel, b);
    }

    /**
     * Forces the journal at least up to {@code position}. Concurrent learners coalesce: whoever forces first makes
     * every record written before it durable, and the others return at once.
     */
    void syncTo(long position) throws IOException {
        synchronized (syncLock) {
            if (synced >= position) {
                return;
            }
            long target;
            try {
                target = channel.size();
                channel.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                return; // rotated meanwhile: the snapshot that replaced this journal was forced first
            }
            synced = target;
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    Path path() {
        return path;
    }

    private static void decode(ByteBuffer p, Replay replay) {
        byte type = p.get();
        if (type != 1) {
            throw new IllegalStateException("unknown journal record type " + type);
        }
        LearnClass c = p.get() == 1 ? LearnClass.SPAM : LearnClass.HAM;
        int ul = p.getInt();
        String user = null;
        if (ul >= 0) {
            byte[] u = new byte[ul];
            p.get(u);
            user = new String(u, StandardCharsets.UTF_8);
        }
        byte[] d = new byte[p.getInt()];
        p.get(d);
        long[] tokens = new long[p.getInt()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = p.getLong();
        }
        replay.learn(user, c, new String(d, StandardCharsets.UTF_8), tokens);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static void delete(Path p) throws IOException {
        Files.deleteIfExists(p);
    }
}
