package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.scanner.store.redis.FlushedRedisConnection;

class RedisRateStoreTest extends RateStoreContract {
    @RegisterExtension
    static FlushedRedisConnection redis = new FlushedRedisConnection();

    @Override
    protected RateStore store() {
        return new RedisRateStore(redis.connection());
    }

    /** Redis expires by its own clock, which the test's cannot move: the key carries the expire as its TTL. */
    @Override
    protected void assertExpiresWhenIdle(String key) {
        long ttl = redis.connection().call(c -> c.ttl(key));
        assertThat(ttl).isBetween(1L, EXPIRE);
    }

    @Test
    void bucketsAreRspamdsHashesWithTheirFields() {
        store().check(List.of(SENDER), 1_000, EXPIRE);
        store().update(List.of(new RateStore.Update(SENDER.key(), 1, 1, 5, 10, 1, true)), 2_000, EXPIRE);
        Map<String, String> h = redis.connection().call(c -> c.hgetall(SENDER.key()));
        assertThat(h).containsEntry("l", "2000").containsEntry("b", "1").containsEntry("p", "0")
                .containsEntry("dr", "10000").containsEntry("db", "10000");
        long ttl = redis.connection().call(c -> c.ttl(SENDER.key()));
        assertThat(ttl).isBetween(EXPIRE - 60, EXPIRE);
    }
}
