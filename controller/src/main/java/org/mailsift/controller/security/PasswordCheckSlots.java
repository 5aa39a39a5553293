package org.mailsift.controller.security;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many PBKDF2 password checks may run at once in the process (0.1-0.3 s of CPU each). A flood of wrong passwords
 * (each one must be checked: the right password is admitted even from a throttled client) would otherwise keep every
 * core busy and starve scans and the milter. A check that finds no free slot within a short wait is refused (503 with
 * Retry-After): the refusal costs nothing. Candidates verified a moment ago ({@link Secret}) and plaintext secrets
 * need no slot, so a learn script or the web interface with the right password is not held up by the flood, and
 * requests with a candidate already being checked share that check ({@link AccessGuard}).
 */
public final class PasswordCheckSlots {
    /** Half the cores, at least one: the other half stays free for mail. */
    public static final PasswordCheckSlots SHARED = new PasswordCheckSlots(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 2_000);

    private final int slots;
    private final long waitMillis;
    private final Semaphore free;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /** @param waitMillis how long a check may wait for a slot (fair, first come first served) before it is refused */
    public PasswordCheckSlots(int slots, long waitMillis) {
        if (slots < 1) {
            throw new IllegalArgumentException("at least one password check slot");
        }
        this.slots = slots;
        this.waitMillis = waitMillis;
        this.free = new Semaphore(slots, true);
    }

    public int slots() {
        return slots;
    }

    /** Takes a slot, waiting up to the configured time; false when none came free (the caller answers 503). */
    public boolean tryAcquire() {
        try {
            if (!free.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        return true;
    }

    public void release() {
        running.decrementAndGet();
        free.release();
    }

    /** The most checks that ran at once since start (for tests and diagnostics). */
    public int peak() {
        return peak.get();
    }
}
