package org.mailsift.controller.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A leaky bucket per client address for authentication failures: each failure adds one, the bucket drains at
 * {@code leakPerSecond}, and a client whose bucket holds {@code burst} or more is refused (HTTP 429) until it drains.
 * Rspamd 4 does the same; 3.4 has no throttle at all.
 */
public final class FailureThrottle {
    private final double burst;
    private final double leakPerSecond;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public FailureThrottle(int burst, double leakPerSecond) {
        this(burst, leakPerSecond, System::nanoTime);
    }

    FailureThrottle(int burst, double leakPerSecond, LongSupplier nanoClock) {
        this.burst = burst;
        this.leakPerSecond = leakPerSecond;
        this.nanoClock = nanoClock;
    }

    public boolean isThrottled(String client) {
        Bucket b = buckets.get(client);
        return b != null && b.level(nanoClock.getAsLong(), leakPerSecond) >= burst;
    }

    /** Whole seconds until a throttled client may try again (0 when it is not throttled). */
    public long secondsUntilAllowed(String client) {
        Bucket b = buckets.get(client);
        if (b == null) {
            return 0;
        }
        double excess = b.level(nanoClock.getAsLong(), leakPerSecond) - burst;
        return excess < 0 ? 0 : (long) Math.ceil((excess + 0.01) / leakPerSecond);
    }

    public void failed(String client) {
        long now = nanoClock.getAsLong();
        buckets.compute(client, (k, b) -> {
            Bucket n = b == null ? new Bucket(0, now) : b;
            return new Bucket(n.level(now, leakPerSecond) + 1, now);
        });
        if (buckets.size() > 10_000) {
            buckets.entrySet().removeIf(e -> e.getValue().level(now, leakPerSecond) < 0.01);
        }
    }

    private record Bucket(double level, long atNanos) {
        double level(long now, double leak) {
            return Math.max(0, level - (now - atNanos) / 1e9 * leak);
        }
    }
}
