package org.mailsift.sieve.spool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the learn spool the mailsift-learn helper fills while the daemon is down: every file in {@code new/} is
 * learned through the {@link Learner} and deleted only after the learner accepted it (learned, already learned,
 * refused by a learn rule, or put in the learner's own durable queue). When the learner throws, the file stays and
 * the round ends, to be retried at the next poll. Files that are not learn requests go to {@code bad/} so they
 * are never retried forever. Leftovers in {@code tmp/} older than a day (a helper killed mid-write) are removed.
 */
public final class SpoolDrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDrainer.class);
    private static final Duration TMP_MAX_AGE = Duration.ofDays(1);

    private final Path spool;
    private final Learner learner;
    private final Duration interval;
    private volatile Thread thread;
    private volatile boolean running;

    public SpoolDrainer(Path spool, Learner learner, Duration interval) {
        this.spool = spool;
        this.learner = learner;
        this.interval = interval;
    }

    public Path spool() {
        return spool;
    }

    /** Creates the spool layout (new/, tmp/, bad/); the helper needs new/ and tmp/ writable by the mail user. */
    public void createLayout() throws IOException {
        for (String d : List.of("new", "tmp", "bad")) {
            Files.createDirectories(spool.resolve(d));
        }
    }

    /** Starts polling on a daemon thread. */
    public synchronized void start() throws IOException {
        createLayout();
        running = true;
        thread = Thread.ofVirtual().name("spool-drainer").start(this::loop);
        LOG.info("draining the learn spool {} every {} ms", spool, interval.toMillis());
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

    /** One pass over new/, oldest first; returns how many spooled learns were completed. */
    public int drainOnce() throws IOException {
        Path dir = spool.resolve("new");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        int done = 0;
        for (Path f : files) {
            Optional<SpoolEntry> entry = SpoolEntry.parse(f);
            if (entry.isEmpty()) {
                Files.createDirectories(spool.resolve("bad"));
                Files.move(f, spool.resolve("bad").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                LOG.warn("learn spool: {} is not a learn request; moved to bad/", f.getFileName());
                continue;
            }
            byte[] message;
            try {
                message = Files.readAllBytes(f);
            } catch (NoSuchFileException gone) {
                continue; // drained by another process
            }
            LearnOutcome outcome;
            try {
                outcome = learner.learn(message, new LearnRequest(entry.get().learnClass(), entry.get().user(), false, "spool"));
            } catch (RuntimeException e) {
                LOG.warn("learn spool: learning {} failed ({}); will retry", f.getFileName(), e.getMessage());
                return done;
            }
            Files.deleteIfExists(f);
            done++;
            LOG.info("learn spool: {} for {}: {}", entry.get().learnClass().label(), entry.get().user(), outcome.status());
        }
        return done;
    }

    private void removeStaleTmp() throws IOException {
        Path tmp = spool.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        Instant cutoff = Instant.now().minus(TMP_MAX_AGE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path f : ds) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
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
