package org.mailsift.scanner.maps;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks maps for changes ({@code map_watch_interval}): map files (inode, mtime, size) and HTTP(S) maps
 * ({@link HttpMap}: a conditional GET when due). Every module that takes a map (multimap, greylist, settings, rbl)
 * registers its maps' checks here; closing the engine (reload, shutdown) cancels them. One daemon thread shared by
 * every engine in the process keeps the time; each check runs on a virtual thread of its own, so a map server that
 * takes its whole timeout delays only its own map, never the others' (a map whose last check still runs skips its
 * turn). The timer ends when no registration is left, so an old engine's watching stops with it.
 */
public final class MapWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MapWatcher.class);
    private static ScheduledThreadPoolExecutor executor;
    private static int registrations;

    private MapWatcher() {
    }

    /** A registration: {@link #close()} stops watching. */
    public static final class Registration implements AutoCloseable {
        private final ScheduledFuture<?> future;
        private boolean closed;

        private Registration(ScheduledFuture<?> future) {
            this.future = future;
        }

        /** Whether this map is no longer checked. */
        public boolean stopped() {
            return future.isCancelled();
        }

        @Override
        public void close() {
            synchronized (MapWatcher.class) {
                if (closed) {
                    return;
                }
                closed = true;
                future.cancel(false);
                if (--registrations == 0 && executor != null) {
                    executor.shutdown();
                    executor = null;
                }
            }
        }
    }

    /** Runs {@code check} every {@code interval}, the first time after it. */
    public static Registration watch(Runnable check, String name, Duration interval) {
        return watch(check, name, interval, interval);
    }

    /**
     * Runs {@code check} after {@code firstDelay} (zero for an HTTP map nothing is cached for: Rspamd fetches it at
     * start), then every {@code interval}; a check that throws is logged and the next one runs as planned.
     */
    public static synchronized Registration watch(Runnable check, String name, Duration firstDelay, Duration interval) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "map-watch");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        registrations++;
        long millis = Math.max(10, interval.toMillis());
        Turn turn = new Turn(check, name);
        return new Registration(executor.scheduleWithFixedDelay(turn, Math.max(0, firstDelay.toMillis()), millis,
                TimeUnit.MILLISECONDS));
    }

    /** One map's check, started on its own virtual thread unless the previous one is still running. */
    private record Turn(Runnable check, String name, AtomicBoolean busy) implements Runnable {
        Turn(Runnable check, String name) {
            this(check, name, new AtomicBoolean());
        }

        @Override
        public void run() {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("map-check").start(() -> {
                try {
                    check.run();
                } catch (RuntimeException | OutOfMemoryError e) {
                    LOG.warn("{}: map check failed, keeping the running entries: {}", name, e.toString());
                } finally {
                    busy.set(false);
                }
            });
        }
    }

    /** Whether the watch thread runs (tests: it stops when the last engine using it is closed). */
    public static synchronized boolean running() {
        return executor != null;
    }
}
