package org.mailsift.scanner.bayes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable queue of learns that could not reach the store (Redis down): one file per learn, written to a temporary
 * name, forced and renamed, so the queue survives a crash at any point. {@link #replay(BayesStore)} applies them in
 * order and deletes each file only after the store acknowledged it; a replay cut short by a crash may apply one learn
 * twice, which the store's learned cache turns into "already learned", so every learn still counts once.
 */
public final class LearnOutbox {
    private static final Logger log = LoggerFactory.getLogger(LearnOutbox.class);

    private final Path dir;
    private final AtomicLong sequence;

    public LearnOutbox(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*.tmp")) {
                for (Path t : tmps) {
                    Files.delete(t); // a crash hit before the rename: that learn was never acknowledged
                }
            }
            long max = 0;
            for (Path p : files()) {
                max = Math.max(max, seqOf(p));
            }
            sequence = new AtomicLong(max);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the learn queue in " + dir, e);
        }
    }

    /** Stores one learn durably. */
    public synchronized void add(QueuedLearn learn) {
        long seq = sequence.incrementAndGet();
        Path target = dir.resolve(String.format("%016d.learn", seq));
        Path tmp = dir.resolve(String.format("%016d.tmp", seq));
        try {
            Files.write(tmp, encode(learn));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // directories cannot be opened on every file system; the rename is atomic anyway
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue a learn in " + dir, e);
        }
    }

    public int size() {
        try {
            return files().size();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Applies queued learns oldest first until the queue is empty or the store fails again; returns how many were
     * applied. Safe to call from one thread at a time.
     */
    public synchronized int replay(BayesStore store) {
        int applied = 0;
        try {
            for (Path p : files()) {
                QueuedLearn l;
                try {
                    l = decode(Files.readAllBytes(p));
                } catch (IOException | RuntimeException unreadable) {
                    setAside(p, unreadable); // one unreadable file must not hold back every learn queued after it
                    continue;
                }
                store.learn(l.owner(), l.learnClass(), l.digest(), l.tokens());
                Files.delete(p);
                applied++;
            }
        } catch (BayesStore.UnavailableException e) {
            log.debug("learn queue replay stopped: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            // the replay runs on a scheduled executor, where an escaping exception would cancel every later replay
            log.warn("learn queue in {}: replay stopped, retried later: {}", dir, e.toString());
        }
        if (applied > 0) {
            log.info("replayed {} queued learns into the Bayes store", applied);
        }
        return applied;
    }

    private void setAside(Path p, Exception why) {
        Path bad = p.resolveSibling(p.getFileName() + ".bad");
        try {
            Files.move(p, bad, StandardCopyOption.ATOMIC_MOVE);
            log.warn("learn queue: {} cannot be read ({}); kept as {}", p.getFileName(), why.toString(), bad.getFileName());
        } catch (IOException e) {
            log.warn("learn queue: {} cannot be read ({}) nor set aside ({})", p.getFileName(), why.toString(), e.toString());
        }
    }

    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.learn")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    private static long seqOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.indexOf('.')));
    }

    static byte[] encode(QueuedLearn l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * l.tokens().length);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeBoolean(l.owner() != null);
        if (l.owner() != null) {
            out.writeUTF(l.owner());
        }
        out.writeByte(l.learnClass() == LearnClass.SPAM ? 1 : 0);
        out.writeUTF(l.digest());
        out.writeInt(l.tokens().length);
        for (long t : l.tokens()) {
            out.writeLong(t);
        }
        return bytes.toByteArray();
    }

    static QueuedLearn decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        if (in.readByte() != 1) {
            throw new IOException("unknown queued learn version");
        }
        String owner = in.readBoolean() ? in.readUTF() : null;
        LearnClass c = in.readByte() == 1 ? LearnClass.SPAM : LearnClass.HAM;
        String digest = in.readUTF();
        long[] tokens = new long[in.readInt()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = in.readLong();
        }
        return new QueuedLearn(owner, c, digest, tokens);
    }
}
