package org.mailsift.scanner.store.redis;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mailsift.testsupport.RedisServerExtension;

/**
 * A private redis-server per test class and, for each test, a {@link RedisConnection} to it with the database
 * flushed: what the Redis halves of the store contract tests start from. Register it on a static field.
 */
public final class FlushedRedisConnection implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    private final RedisServerExtension redis = new RedisServerExtension();
    private RedisConnection connection;

    public org.mailsift.testsupport.RedisServer server() {
        return redis.server();
    }

    public RedisConnection connection() {
        return connection;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        redis.beforeEach(context);
        connection = RedisConnection.connect(redis.server().address(), null, 0, Duration.ofSeconds(2), "tests");
        connection.call(c -> c.flushall());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        connection.close();
        connection = null;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        redis.afterAll(context);
    }
}
