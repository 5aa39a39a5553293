package org.mailsift.core.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many connections one listener holds open, in all and per peer address. A listener asks {@link #admit} at accept
 * and closes the connection at once when it is refused; the returned handle is released when the connection closes.
 * Each listener (milter, normal worker, controller) has its own caps, so a flood of one leaves the others reachable.
 */
public final class ConnectionCaps {
    /** A refusal is logged at most this often; the others are counted into the next line. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int maxTotal;
    private final int maxPerPeer;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perPeer = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public ConnectionCaps(int maxTotal, int maxPerPeer) {
        if (maxTotal < 1 || maxPerPeer < 1) {
            throw new IllegalArgumentException("connection caps must be positive");
        }
        this.maxTotal = maxTotal;
        this.maxPerPeer = maxPerPeer;
    }

    /** What an admitted connection gives back when it closes. */
    public interface Admission {
        void release();
    }

    /**
     * @param peer the peer's address as text, or null for a unix-socket peer (only the total applies)
     * @return the admission to release at close, or null when a cap is reached (close the connection at once)
     */
    public Admission admit(String peer) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refusedSinceLog.incrementAndGet();
            return null;
        }
        if (peer == null) {
            return total::decrementAndGet;
        }
        AtomicInteger mine = perPeer.computeIfAbsent(peer, k -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerPeer) {
            release(peer, mine);
            refusedSinceLog.incrementAndGet();
            return null;
        }
        return () -> release(peer, mine);
    }

    private void release(String peer, AtomicInteger counter) {
        if (counter.decrementAndGet() <= 0) {
            perPeer.remove(peer, counter);
            if (counter.get() > 0) { // raced with an admit on the removed counter: keep counting it
                perPeer.merge(peer, counter, (a, b) -> a);
            }
        }
        total.decrementAndGet();
    }

    /** Open connections now. */
    public int open() {
        return total.get();
    }

    /**
     * Refusals to report now: the number since the last report when one is due (at most one per 10 s), else 0, so
     * a flood makes a handful of log lines, not one per connection.
     */
    public long refusalsToLog() {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (refusedSinceLog.get() == 0 || now - last < LOG_EVERY_NANOS || !lastLog.compareAndSet(last, now)) {
            return 0;
        }
        return refusedSinceLog.getAndSet(0);
    }

    public int maxTotal() {
        return maxTotal;
    }

    public int maxPerPeer() {
        return maxPerPeer;
    }
}
