package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.scanner.store.redis.RedisConnection;
import org.mailsift.testsupport.RedisServerExtension;

class RedisRateStoreTest extends RateStoreContract {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();
    private RedisConnection connection;

    @BeforeEach
    void connect() {
        connection = RedisConnection.connect(redis.server().address(), null, 0, Duration.ofSeconds(2), "tests");
        connection.call(c -> c.flushall());
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Override
    protected RateStore store() {
        return new RedisRateStore(connection);
    }

    /** Redis expires by its own clock, which the test's cannot move: the key carries the expire as its TTL. */
    @Override
    protected void assertExpiresWhenIdle(String key) {
        long ttl = connection.call(c -> c.ttl(key));
        assertThat(ttl).isBetween(1L, EXPIRE);
    }

    @Test
    void bucketsAreRspamdsHashesWithTheirFields() {
        store().check(List.of(SENDER), 1_000, EXPIRE);
        store().update(List.of(new RateStore.Update(SENDER.key(), 1, 1, 5, 10, 1, true)), 2_000, EXPIRE);
        Map<String, String> h = connection.call(c -> c.hgetall(SENDER.key()));
        assertThat(h).containsEntry("l", "2000").containsEntry("b", "1").containsEntry("p", "0")
                .containsEntry("dr", "10000").containsEntry("db", "10000");
        long ttl = connection.call(c -> c.ttl(SENDER.key()));
        assertThat(ttl).isBetween(EXPIRE - 60, EXPIRE);
    }
}
