package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.store.embedded.ExpiringRecords;

class EmbeddedRateStoreTest extends RateStoreContract {
    @TempDir
    Path dir;
    private ExpiringRecords records;

    @BeforeEach
    void open() {
        records = ExpiringRecords.open(dir, "policy", 1000, clock);
    }

    @AfterEach
    void close() {
        records.close();
    }

    @Override
    protected RateStore store() {
        return new EmbeddedRateStore(() -> records);
    }

    @Override
    protected void assertExpiresWhenIdle(String key) {
        assertThat(entry(key)).isNotNull();
        clock.advance(java.time.Duration.ofSeconds(EXPIRE + 1));
        assertThat(entry(key)).isNull();
        assertThat(records.size()).isZero();
    }

    private ExpiringRecords.Entry entry(String key) {
        return records.atomically(r -> r.get(key));
    }

    @Test
    void bucketsSurviveARestart() {
        RateStore store = store();
        for (int i = 0; i < 100; i++) {
            store.check(List.of(SENDER), clock.millis(), EXPIRE);
            store.update(List.of(new RateStore.Update(SENDER.key(), 1, 1, 5, 10, 1, true)), clock.millis(), EXPIRE);
        }
        records.close();
        records = ExpiringRecords.open(dir, "policy", 1000, clock);
        assertThat(store().check(List.of(SENDER), clock.millis(), EXPIRE).get(0).limited()).isTrue();
    }
}
