package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.scanner.policy.SettableClock;

/**
 * What every rate store does, embedded or Redis: Rspamd's leaky bucket with reservations and dynamic multipliers.
 * Time is the test's clock: no test waits.
 */
abstract class RateStoreContract {
    static final long EXPIRE = 3600;
    /** burst 100, one message a minute */
    static final RateStore.Bucket SENDER = new RateStore.Bucket("RLsender", 1.0 / 60_000, 100, 1, true);

    protected final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));

    protected abstract RateStore store();

    /** Asserts the bucket {@code key} (just updated) goes away after {@link #EXPIRE} seconds without traffic. */
    protected abstract void assertExpiresWhenIdle(String key);

    private boolean send(RateStore.Bucket b, String verdictKind) {
        RateStore store = store();
        boolean limited = store.check(List.of(b), clock.millis(), EXPIRE).get(0).limited();
        if (!limited) {
            double rate = verdictKind.equals("ham") ? 1.01 : verdictKind.equals("spam") ? 0.99 : 1.0;
            double burst = verdictKind.equals("ham") ? 1.02 : verdictKind.equals("spam") ? 0.98 : 1.0;
            store.update(List.of(new RateStore.Update(b.key(), rate, burst, 5, 10, b.increment(), b.dynamic())),
                    clock.millis(), EXPIRE);
        }
        return !limited;
    }

    @Test
    void theHundredAndFirstMessageWithinAMinuteIsOverABurstOfAHundred() {
        for (int i = 1; i <= 100; i++) {
            assertThat(send(SENDER, "uncertain")).as("message %d", i).isTrue();
            clock.advance(Duration.ofMillis(500));
        }
        assertThat(send(SENDER, "uncertain")).isFalse();
        assertThat(send(SENDER, "uncertain")).as("still over the limit").isFalse();
    }

    @Test
    void theBucketLeaksAtItsRate() {
        for (int i = 0; i < 100; i++) {
            assertThat(send(SENDER, "uncertain")).isTrue();
        }
        assertThat(send(SENDER, "uncertain")).isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(send(SENDER, "uncertain")).as("one leaked out in a minute").isTrue();
        assertThat(send(SENDER, "uncertain")).isFalse();
        clock.advance(Duration.ofMinutes(30));
        for (int i = 0; i < 30; i++) {
            assertThat(send(SENDER, "uncertain")).as("after 30 minutes, message %d", i).isTrue();
        }
        assertThat(send(SENDER, "uncertain")).isFalse();
    }

    @Test
    void messagesStillBeingScannedCountAgainstTheLimit() {
        RateStore store = store();
        for (int i = 0; i < 100; i++) {
            assertThat(store.check(List.of(SENDER), clock.millis(), EXPIRE).get(0).limited()).isFalse();
        }
        assertThat(store.check(List.of(SENDER), clock.millis(), EXPIRE).get(0).limited())
                .as("100 in flight, none updated yet").isTrue();
        store.cleanup(List.of(SENDER), clock.millis(), EXPIRE);
        assertThat(store.check(List.of(SENDER), clock.millis(), EXPIRE).get(0).limited())
                .as("a refused message gave its place back").isFalse();
    }

    @Test
    void eachRecipientCountsUnlessTheBucketSkipsRecipients() {
        RateStore.Bucket tenRecipients = new RateStore.Bucket("RLten", 1.0 / 60_000, 100, 10, false);
        for (int i = 0; i < 10; i++) {
            assertThat(send(tenRecipients, "uncertain")).as("message %d", i).isTrue();
        }
        assertThat(send(tenRecipients, "uncertain")).isFalse();
    }

    @Test
    void hamRaisesTheLimitAndSpamLowersIt() {
        RateStore.Bucket ham = new RateStore.Bucket("RLham", 1.0 / 60_000, 100, 1, true);
        int hamPassed = 0;
        while (send(ham, "ham") && hamPassed < 10_000) {
            hamPassed++;
        }
        RateStore.Bucket spam = new RateStore.Bucket("RLspam", 1.0 / 60_000, 100, 1, true);
        int spamPassed = 0;
        while (send(spam, "spam") && spamPassed < 10_000) {
            spamPassed++;
        }
        assertThat(hamPassed).isGreaterThan(100);
        assertThat(spamPassed).isLessThan(100);
        RateStore.Bucket fixed = new RateStore.Bucket("RLfixed", 1.0 / 60_000, 100, 1, false);
        int fixedPassed = 0;
        while (send(fixed, "ham") && fixedPassed < 10_000) {
            fixedPassed++;
        }
        assertThat(fixedPassed).as("without dynamic limits ham changes nothing").isEqualTo(100);
    }

    @Test
    void allOfAMessagesBucketsAreCheckedTogether() {
        RateStore.Bucket small = new RateStore.Bucket("RLsmall", 1.0 / 60_000, 2, 1, false);
        RateStore.Bucket large = new RateStore.Bucket("RLlarge", 1.0 / 60_000, 100, 1, false);
        RateStore store = store();
        for (int i = 0; i < 2; i++) {
            assertThat(store.check(List.of(small, large), clock.millis(), EXPIRE))
                    .extracting(RateStore.Result::limited).containsExactly(false, false);
            store.update(List.of(update(small), update(large)), clock.millis(), EXPIRE);
        }
        assertThat(store.check(List.of(small, large), clock.millis(), EXPIRE))
                .extracting(RateStore.Result::limited).containsExactly(true, false);
    }

    @Test
    void anIdleBucketExpires() {
        assertThat(send(SENDER, "uncertain")).isTrue();
        assertExpiresWhenIdle(SENDER.key());
    }

    private static RateStore.Update update(RateStore.Bucket b) {
        return new RateStore.Update(b.key(), 1.0, 1.0, 5, 10, b.increment(), b.dynamic());
    }
}
