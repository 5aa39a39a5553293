package org.mailsift.scanner.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The map watcher's scheduling: what one slow map may and may not hold up. */
class MapWatcherTest {
    private static final Duration INTERVAL = Duration.ofMillis(20);

    @Test
    void aMapServerThatNeverAnswersDelaysNoOtherMapsCheck() throws Exception {
        CountDownLatch serverAnswers = new CountDownLatch(1);
        AtomicInteger slowChecks = new AtomicInteger();
        AtomicInteger fileChecks = new AtomicInteger();
        try (MapWatcher.Registration slow = MapWatcher.watch(() -> {
                 slowChecks.incrementAndGet();
                 waitFor(serverAnswers);
             }, "http map", Duration.ZERO, INTERVAL);
             MapWatcher.Registration file = MapWatcher.watch(fileChecks::incrementAndGet, "file map", INTERVAL)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> slowChecks.get() == 1 && fileChecks.get() >= 5);
            assertThat(slowChecks).as("a check still running is not started again").hasValue(1);

            serverAnswers.countDown();
            await().atMost(Duration.ofMinutes(1)).until(() -> slowChecks.get() >= 2);
        }
    }

    @Test
    void aCheckThatThrowsIsLoggedAndRunsAgainAtItsNextTurn() {
        AtomicInteger checks = new AtomicInteger();
        try (MapWatcher.Registration r = MapWatcher.watch(() -> {
            checks.incrementAndGet();
            throw new IllegalStateException("half-written map");
        }, "broken map", INTERVAL)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> checks.get() >= 3);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
