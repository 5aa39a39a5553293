package org.mailsift.core.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that requests hold in memory at once across all connections of a listener (request bodies while they are read,
 * decompressed bodies while they are scanned). A request that would go over it is refused (HTTP 503) instead of
 * letting a handful of large uploads run the daemon out of heap.
 */
public final class ByteBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    public ByteBudget(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("the byte budget must be positive");
        }
        this.max = max;
    }

    /** Takes {@code bytes} from the budget; false (nothing taken) when that would go over it. */
    public boolean tryReserve(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        while (true) {
            long now = used.get();
            if (now + bytes > max) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }
}
