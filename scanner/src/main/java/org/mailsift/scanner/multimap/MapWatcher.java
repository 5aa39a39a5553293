package org.mailsift.scanner.multimap;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks map files for changes ({@code map_watch_interval}) on one daemon thread shared by every engine in the
 * process. Each engine's maps hold a registration; closing the engine (reload, shutdown) cancels them, and the thread
 * ends when no registration is left, so an old engine's watching stops with it.
 */
final class MapWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MapWatcher.class);
    private static ScheduledThreadPoolExecutor executor;
    private static int registrations;

    private MapWatcher() {
    }

    /** A registration: {@link #close()} stops watching. */
    static final class Registration implements AutoCloseable {
        private final ScheduledFuture<?> future;
        private boolean closed;

        private Registration(ScheduledFuture<?> future) {
            this.future = future;
        }

        /** Whether this map is no longer checked. */
        boolean stopped() {
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

    static synchronized Registration watch(LiveMap map, String rule, Duration interval) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "multimap-map-watch");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        registrations++;
        long millis = Math.max(10, interval.toMillis());
        return new Registration(executor.scheduleWithFixedDelay(() -> {
            try {
                map.refresh();
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.warn("multimap {}: map check failed, keeping the running entries: {}", rule, e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS));
    }

    /** Whether the watch thread runs (tests: it stops when the last engine using it is closed). */
    static synchronized boolean running() {
        return executor != null;
    }
}
