package org.mailsift.imapwatcher;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "full jitter" (a random delay between half and all of the current step), so that
 * a thousand accounts losing their server together do not reconnect in lockstep.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The delay before the next attempt; each call doubles the step up to the cap. */
    public Duration next() {
        long step = Math.min(maxMillis, initialMillis << Math.min(failures, 30));
        failures++;
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
