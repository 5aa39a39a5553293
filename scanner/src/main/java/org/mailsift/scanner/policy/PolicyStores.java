package org.mailsift.scanner.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.mailsift.scanner.store.embedded.ExpiringRecords;
import org.mailsift.scanner.store.redis.RedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state behind the policy modules, opened once per daemon and kept across reloads: the embedded records file
 * ({@code DATADIR/policy/policy.records}, opened on first use) and one Redis connection per distinct target. A reload
 * that points a module elsewhere gets a new connection; the old ones close with the daemon.
 */
public final class PolicyStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStores.class);
    /** Live records of every module together; ~200 bytes each in memory. */
    public static final int MAX_EMBEDDED_RECORDS = 500_000;

    private final Path dir;
    private final Clock clock;
    private ExpiringRecords embedded;
    private final Map<RedisTarget, RedisConnection> redis = new HashMap<>();
    private boolean closed;

    public PolicyStores(Path dataDir, Clock clock) {
        this.dir = dataDir.resolve("policy");
        this.clock = clock;
    }

    /** The embedded records, opened now if needed; throws (UncheckedIOException) when another process holds them. */
    public synchronized ExpiringRecords embedded() {
        ensureOpen();
        if (embedded == null) {
            embedded = ExpiringRecords.open(dir, "policy", MAX_EMBEDDED_RECORDS, clock);
            LOG.info("policy state (greylisting, replies, rate limits) in {}", dir);
        }
        return embedded;
    }

    /** The connection for {@code target}, shared by every module pointing there. */
    public synchronized RedisConnection redis(RedisTarget target, String purpose) {
        ensureOpen();
        return redis.computeIfAbsent(target, t -> RedisConnection.connect(t.servers(), t.password(), t.db(), t.timeout(), purpose));
    }

    public Clock clock() {
        return clock;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("policy stores are closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (embedded != null) {
            embedded.close();
        }
        redis.values().forEach(RedisConnection::close);
        redis.clear();
    }
}
