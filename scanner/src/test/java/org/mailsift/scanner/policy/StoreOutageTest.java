package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A store that went away: skipped while down, asked by one caller every probe interval, back at its first answer. */
class StoreOutageTest {
    private final AtomicLong nanos = new AtomicLong(-Duration.ofDays(1).toNanos()); // nanoTime may be negative
    private final StoreOutage outage = new StoreOutage(LoggerFactory.getLogger(getClass()), "greylist", nanos::get,
            Duration.ofSeconds(5));

    @Test
    void aStoreThatAnswersIsAlwaysAsked() {
        assertThat(outage.skip()).isFalse();
        outage.answered();
        assertThat(outage.skip()).isFalse();
        assertThat(outage.isDown()).isFalse();
    }

    @Test
    void whileDownOneCallerAsksEveryProbeIntervalAndTheFirstAnswerEndsTheOutage() {
        outage.failed(new IllegalStateException("timeout"));
        assertThat(outage.skip()).isTrue();
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(outage.skip()).isTrue();

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(outage.skip()).as("the probe").isFalse();
        assertThat(outage.skip()).as("everyone else while the probe runs").isTrue();
        outage.failed(new IllegalStateException("timeout"));
        assertThat(outage.skip()).isTrue();

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outage.skip()).isFalse();
        outage.answered();
        assertThat(outage.isDown()).isFalse();
        assertThat(outage.skip()).isFalse();
        assertThat(outage.skip()).isFalse();
    }
}
