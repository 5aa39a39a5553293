package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;

class BackoffTest {
    @RepeatedTest(20)
    void delaysGrowExponentiallyWithJitterUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(b.next().toMillis()).isBetween(500L, 1000L);
        assertThat(b.next().toMillis()).isBetween(1000L, 2000L);
        assertThat(b.next().toMillis()).isBetween(2000L, 4000L);
        for (int i = 0; i < 40; i++) {
            assertThat(b.next().toMillis()).isBetween(0L, 30_000L);
        }
        assertThat(b.next().toMillis()).isBetween(15_000L, 30_000L);
        b.reset();
        assertThat(b.next().toMillis()).isBetween(500L, 1000L);
    }
}
