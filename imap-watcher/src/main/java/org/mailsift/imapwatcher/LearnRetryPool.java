package org.mailsift.imapwatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decouples the IMAP side from learning: watchers hand over a detected move and go back to IDLE at once; a few
 * worker threads call the {@link Learner}, retrying with backoff while the store is unavailable. Replays are
 * harmless because the learner's learned-message cache answers "already learned".
 */
public final class LearnRetryPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LearnRetryPool.class);
    private static final LearnTask POISON = new LearnTask(null, null, null, null, null, 0);

    /**
     * @param detectedNanos {@link System#nanoTime()} when the move was detected (for the delay histogram)
     */
    public record LearnTask(AccountStatus status, LearnClass learnClass, byte[] raw, String user, String what, long detectedNanos) {
    }

    private final BlockingQueue<LearnTask> queue = new LinkedBlockingQueue<>();
    private final Learner learner;
    private final Metrics metrics;
    private final int retries;
    private final Duration retryInitial;
    private final List<Thread> workers = new ArrayList<>();

    public LearnRetryPool(Learner learner, Metrics metrics, int workers, int retries, Duration retryInitial) {
        this.learner = learner;
        this.metrics = metrics;
        this.retries = retries;
        this.retryInitial = retryInitial;
        metrics.describe("mailsift_imap_watcher_learns_total", "Messages learned by the IMAP watcher, by account and class");
        metrics.describe("mailsift_imap_watcher_learn_failures_total", "Learns dropped after all retries, by account");
        metrics.describe("mailsift_imap_watcher_learn_delay_seconds", "Time from detecting a move to the learn being stored");
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofVirtual().name("imap-watcher-learn-" + i).start(this::work));
        }
    }

    public void submit(LearnTask task) {
        queue.add(task);
    }

    public int pending() {
        return queue.size();
    }

    private void work() {
        try {
            while (true) {
                LearnTask t = queue.take();
                if (t == POISON) {
                    return;
                }
                learnWithRetry(t);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void learnWithRetry(LearnTask t) throws InterruptedException {
        Backoff backoff = new Backoff(retryInitial, retryInitial.multipliedBy(64));
        for (int attempt = 0; ; attempt++) {
            try {
                LearnOutcome outcome = learner.learn(t.raw(), new LearnRequest(t.learnClass(), t.user(), false, "imap-watcher"));
                String account = t.status().account();
                metrics.increment("mailsift_imap_watcher_learns_total", "account", account, "class", t.learnClass().label(),
                        "outcome", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
                metrics.observe("mailsift_imap_watcher_learn_delay_seconds", (System.nanoTime() - t.detectedNanos()) / 1e9);
                t.status().learned(t.learnClass(), "learned " + t.learnClass().label() + ": " + t.what() + " (" + outcome.status() + ")");
                log.info("{}: learned {} {} ({})", account, t.learnClass().label(), t.what(), outcome.status());
                return;
            } catch (RuntimeException e) {
                if (attempt >= retries) {
                    metrics.increment("mailsift_imap_watcher_learn_failures_total", "account", t.status().account());
                    t.status().error("learn " + t.learnClass().label() + " failed after " + (attempt + 1) + " attempts: " + e.getMessage());
                    log.warn("{}: giving up learning {} {}: {}", t.status().account(), t.learnClass().label(), t.what(), e.toString());
                    return;
                }
                Duration d = backoff.next();
                log.debug("{}: learn failed ({}), retry in {} ms", t.status().account(), e.toString(), d.toMillis());
                Thread.sleep(d);
            }
        }
    }

    /** Lets queued learns finish for up to {@code bound}, then stops the workers. */
    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration bound) throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            queue.add(POISON);
        }
        long deadline = System.nanoTime() + bound.toNanos();
        for (Thread w : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !w.join(Duration.ofNanos(left))) {
                w.interrupt();
            }
        }
        if (!queue.isEmpty()) {
            log.warn("{} learn(s) not done at shutdown; their moves are found again at next start only if not yet recorded", queue.size());
        }
        queue.clear();
    }

    boolean idle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return queue.isEmpty();
    }
}
