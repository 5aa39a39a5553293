package org.mailsift.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one private {@link RedisServer} per test class (register it on a static field). Tests
 * are skipped when /usr/bin/redis-server is missing. A test that stopped the server finds it started again in the
 * next test.
 *
 * <pre>
 * &#64;RegisterExtension
 * static RedisServerExtension redis = new RedisServerExtension();
 * ... redis.server().address() ...
 * </pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private RedisServer server;

    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("Redis is not running (outside a test, or skipped)");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server not installed (" + RedisServer.BINARY + ")");
        server = RedisServer.startNew();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server not installed (" + RedisServer.BINARY + ")");
        if (server == null) {
            server = RedisServer.startNew();
        } else if (!server.running()) {
            server.start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
