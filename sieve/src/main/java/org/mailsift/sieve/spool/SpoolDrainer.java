package org.mailsift.sieve.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the learn spool the mailsift-learn helper fills while the daemon is down: every file in {@code new/} is
 * learned through the {@link Learner} and deleted only after the learner accepted it (learned, already learned,
 * refused by a learn rule, or put in the learner's own durable queue).
 *
 * <p>{@code new/} is writable by the mail user, so nothing found there is trusted. Each entry is first claimed by a
 * rename into {@code work/}, a directory only the daemon can write: from then on nobody can swap it for a FIFO, a
 * symlink or another file. It is then checked without following links (a regular file, one link, owned by the
 * daemon's user or by a non-root member of the spool's group) and read through a descriptor opened with
 * {@code O_NOFOLLOW}, at most {@code maxBytes}. An entry that fails any of this, or that the learner refuses again
 * and again while other entries learn, goes to {@code bad/} with one log line, and the drain goes on: no entry can
 * stop, block or exhaust the drainer. When the learner fails for two entries in a row (the store is down) the entries
 * stay and the round ends, to be retried at the next poll. Leftovers in {@code tmp/} older than a day (a helper
 * killed mid-write) are removed.
 */
public final class SpoolDrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDrainer.class);
    private static final Duration TMP_MAX_AGE = Duration.ofDays(1);
    /** Learner failures of one entry, each while another entry learned, before it counts as poison. */
    static final int MAX_STRIKES = 3;
    /** The size limit when none is given: the controller's default request limit (max_message). */
    public static final long DEFAULT_MAX_BYTES = 50L << 20;

    private final Path spool;
    private final Learner learner;
    private final Duration interval;
    private final long maxBytes;
    private final Map<String, Integer> strikes = new HashMap<>();
    private volatile Thread thread;
    private volatile boolean running;

    public SpoolDrainer(Path spool, Learner learner, Duration interval) {
        this(spool, learner, interval, DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes the largest message learned from the spool (larger ones go to bad/) */
    public SpoolDrainer(Path spool, Learner learner, Duration interval, long maxBytes) {
        this.spool = spool;
        this.learner = learner;
        this.interval = interval;
        this.maxBytes = maxBytes;
    }

    public Path spool() {
        return spool;
    }

    /**
     * Creates the spool layout: new/ and tmp/ (the helper needs them writable by the mail user), bad/, and work/
     * (mode 0700: only the daemon may put files there).
     */
    public void createLayout() throws IOException {
        for (String d : List.of("new", "tmp", "bad")) {
            Files.createDirectories(spool.resolve(d));
        }
        Path work = spool.resolve("work");
        Set<java.nio.file.attribute.PosixFilePermission> privateMode = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(work, PosixFilePermissions.asFileAttribute(privateMode));
        }
        // spool/ is group-writable: a member of the group could have put its own work/ (or a symlink) in place of ours
        PosixFileAttributes a = Files.readAttributes(work, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || (Integer) Files.getAttribute(work, "unix:uid", LinkOption.NOFOLLOW_LINKS) != selfUid()) {
            throw new IOException(work + " is not a directory of the daemon's own user; not draining the spool");
        }
        if (!a.permissions().equals(privateMode)) {
            Files.setPosixFilePermissions(work, privateMode);
        }
    }

    /** The daemon's effective uid: the owner of /proc/self. */
    private static int selfUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** Starts polling on a daemon thread. */
    public synchronized void start() throws IOException {
        createLayout();
        running = true;
        thread = Thread.ofVirtual().name("spool-drainer").start(this::loop);
        LOG.info("draining the learn spool {} every {} ms (messages up to {} bytes)", spool, interval.toMillis(), maxBytes);
    }

    private void loop() {
        while (running) {
            try {
                drainOnce();
                removeStaleTmp();
            } catch (IOException | RuntimeException e) {
                LOG.warn("learn spool {}: {}", spool, e.toString());
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass: entries left in work/ by an earlier pass first, then new/, oldest first; returns how many learns completed. */
    public int drainOnce() throws IOException {
        createLayout();
        List<Path> claimed = new ArrayList<>(list(spool.resolve("work")));
        for (Path f : list(spool.resolve("new"))) {
            claim(f).ifPresent(claimed::add);
        }
        int done = 0;
        List<String> failedThisRound = new ArrayList<>();
        int failuresInARow = 0;
        for (Path f : claimed) {
            Result r = drain(f);
            switch (r) {
                case LEARNED -> {
                    done++;
                    failuresInARow = 0;
                    // the learner works: whatever failed before in this round failed because of its own content
                    failedThisRound.forEach(this::strike);
                    failedThisRound.clear();
                }
                case BAD, GONE -> { }
                case LEARNER_FAILED -> {
                    failedThisRound.add(f.getFileName().toString());
                    if (++failuresInARow >= 2) {
                        return done; // the store is down: keep everything for the next round
                    }
                }
            }
        }
        return done;
    }

    private enum Result { LEARNED, BAD, GONE, LEARNER_FAILED }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** Moves an entry of new/ into work/ (a rename moves a symlink or FIFO itself, never what it points to). */
    private Optional<Path> claim(Path f) {
        Path target = spool.resolve("work").resolve(f.getFileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // the same name is still being drained; never rename over it
        }
        try {
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(target);
        } catch (NoSuchFileException gone) {
            return Optional.empty(); // drained by another process
        } catch (IOException e) {
            LOG.warn("learn spool: cannot claim {} ({}); left in new/", f.getFileName(), e.toString());
            return Optional.empty();
        }
    }

    private Result drain(Path f) {
        String name = f.getFileName().toString();
        Optional<SpoolEntry> entry = SpoolEntry.parse(f);
        if (entry.isEmpty()) {
            return reject(f, "is not a learn request");
        }
        byte[] message;
        try {
            Optional<String> unsafe = unsafe(f);
            if (unsafe.isPresent()) {
                return reject(f, unsafe.get());
            }
            message = read(f);
            if (message == null) {
                return reject(f, "is larger than " + maxBytes + " bytes");
            }
        } catch (NoSuchFileException gone) {
            return Result.GONE;
        } catch (IOException | RuntimeException e) {
            return reject(f, "cannot be read (" + e + ")");
        }
        LearnOutcome outcome;
        try {
            outcome = learner.learn(message, new LearnRequest(entry.get().learnClass(), entry.get().user(), false, "spool"));
        } catch (RuntimeException | StackOverflowError e) {
            if (strikes.getOrDefault(name, 0) + 1 >= MAX_STRIKES) {
                strikes.remove(name);
                return reject(f, "failed to learn " + MAX_STRIKES + " times while other messages learned (" + e.getMessage() + ")");
            }
            LOG.warn("learn spool: learning {} failed ({}); will retry", name, e.getMessage());
            return Result.LEARNER_FAILED;
        }
        strikes.remove(name);
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("learn spool: cannot remove {} after learning it: {}", name, e.toString());
        }
        LOG.info("learn spool: {} for {}: {}", entry.get().learnClass().label(), entry.get().user(), outcome.status());
        return Result.LEARNED;
    }

    private void strike(String name) {
        strikes.merge(name, 1, Integer::sum);
    }

    /**
     * Why an entry must not be read, checked on the entry itself (never a link target): only a regular file with a
     * single link (a hard link could point at any file its maker can name), owned by us or by a non-root user of the
     * spool's group (so a root-only file cannot be smuggled in).
     */
    private Optional<String> unsafe(Path f) throws IOException {
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            return Optional.of("is a symbolic link");
        }
        if (a.isDirectory()) {
            return Optional.of("is a directory");
        }
        if (!a.isRegularFile()) {
            return Optional.of("is not a regular file (FIFO, socket or device)");
        }
        Object links = Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer n && n != 1) {
            return Optional.of("has " + n + " hard links");
        }
        int owner = (Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int group = (Integer) Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        int spoolGroup = (Integer) Files.getAttribute(spool.resolve("new"), "unix:gid");
        int self = selfUid();
        if (owner != self && (owner == 0 || group != spoolGroup)) {
            return Optional.of("belongs to uid " + owner + " gid " + group + ", neither the daemon's user nor the spool's group");
        }
        return Optional.empty();
    }

    /** The file's bytes through a descriptor opened with O_NOFOLLOW, or null when it is larger than maxBytes. */
    private byte[] read(Path f) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(f, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             InputStream in = Channels.newInputStream(ch)) {
            if (ch.size() > maxBytes) {
                return null;
            }
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
            return data.length > maxBytes ? null : data;
        }
    }

    /** Moves a failed entry to bad/ (one log line); the drain goes on. */
    private Result reject(Path f, String why) {
        Path bad = spool.resolve("bad").resolve(f.getFileName());
        try {
            Files.createDirectories(bad.getParent());
            if (Files.exists(bad, LinkOption.NOFOLLOW_LINKS)) {
                bad = bad.resolveSibling(f.getFileName() + "." + System.nanoTime());
            }
            Files.move(f, bad, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("learn spool: {} {}; moved to bad/", f.getFileName(), why);
        } catch (IOException e) {
            LOG.warn("learn spool: {} {}; cannot move it to bad/ ({}), removing it", f.getFileName(), why, e.toString());
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // nothing more to try; a directory that cannot be removed stays in work/ and is refused again
            }
        }
        return Result.BAD;
    }

    private void removeStaleTmp() throws IOException {
        Path tmp = spool.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        Instant cutoff = Instant.now().minus(TMP_MAX_AGE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path f : ds) {
                if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
