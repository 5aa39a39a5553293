package org.mailsift.scanner.policy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A module's store that stopped answering: one warning when it goes and one line when it answers again, instead of a
 * line per message, and while it is down the module fails open (the message goes on as if the module were off)
 * without asking it: a store that hangs (a partitioned Redis) would otherwise cost every message its whole timeout.
 * One message every {@link #PROBE_INTERVAL} asks it again, and the first answer ends the outage.
 */
public final class StoreOutage {
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final Logger log;
    private final String module;
    private final LongSupplier nanoTime;
    private final long probeNanos;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextProbe = new AtomicLong();

    public StoreOutage(Logger log, String module) {
        this(log, module, System::nanoTime, PROBE_INTERVAL);
    }

    /** With another clock (tests). */
    public StoreOutage(Logger log, String module, LongSupplier nanoTime, Duration probeInterval) {
        this.log = log;
        this.module = module;
        this.nanoTime = nanoTime;
        this.probeNanos = probeInterval.toNanos();
    }

    /**
     * Whether this call should leave the store alone: true while it is down, except for one caller every probe
     * interval, who asks it (and reports {@link #answered()} or {@link #failed}).
     */
    public boolean skip() {
        if (!down.get()) {
            return false;
        }
        long now = nanoTime.getAsLong();
        long next = nextProbe.get();
        return now - next < 0 || !nextProbe.compareAndSet(next, now + probeNanos);
    }

    public void failed(RuntimeException e) {
        nextProbe.set(nanoTime.getAsLong() + probeNanos);
        if (down.compareAndSet(false, true)) {
            log.warn("{}: store unavailable, passing messages without {} until it answers (asked again every {} s): {}",
                    module, module, probeNanos / 1_000_000_000L, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    public void answered() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("{}: store answers again", module);
        }
    }

    /** Whether the store is counted as down. */
    public boolean isDown() {
        return down.get();
    }
}
