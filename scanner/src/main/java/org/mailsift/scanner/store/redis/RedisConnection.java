package org.mailsift.scanner.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lazily opened lettuce connection to what Rspamd's {@code servers} option names, shared by the stores that use
 * it (Bayes, greylist, replies...). {@code servers} takes {@code "127.0.0.1:6379"} (first of a list) or a lettuce URI:
 * {@code redis://[:password@]host:port/db}, {@code rediss://...};
 * {@code redis-sentinel://[:sentinel_password@]host:port[,host:port][/db][#master]} asks the sentinels for the master
 * (the name may be a Lua pattern as Rspamd's {@code sentinel_masters_pattern}; see {@link SentinelAddress}) and again
 * on every reconnect, so the connection follows a failover; {@code redis-cluster://host:port[,host:port]} (or
 * {@code cluster:host:port,...}) connects to a Cluster. While the server is unreachable every command fails at once
 * (commands are not buffered) and the connection is retried on the next call; each command waits at most
 * {@code timeout}. A server that lost its script cache (restart, promoted replica) gets a script again on NOSCRIPT.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final AbstractRedisClient client;
    private final Function<AbstractRedisClient, StatefulConnection<String, String>> connector;
    private final String purpose;
    private final boolean cluster;
    private final Map<String, String> scriptShas = new ConcurrentHashMap<>();
    private StatefulConnection<String, String> connection;
    private RedisClusterCommands<String, String> commands;

    private RedisConnection(AbstractRedisClient client,
                            Function<AbstractRedisClient, StatefulConnection<String, String>> connector, String purpose,
                            boolean cluster) {
        this.client = client;
        this.connector = connector;
        this.purpose = purpose;
        this.cluster = cluster;
    }

    /**
     * Creates the connection; it connects on first use, so a Redis that is down at start-up is not fatal.
     *
     * @param purpose what it is for, in the log line on connect ("Bayes statistics", "greylisting")
     */
    public static RedisConnection connect(String servers, String password, int db, Duration timeout, String purpose) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("Redis for " + purpose + " needs servers = \"host:port\"");
        }
        String s = servers.trim();
        if (s.startsWith("redis-cluster://") || s.startsWith("cluster:")) {
            String hosts = s.substring(s.indexOf(s.startsWith("cluster:") ? ":" : "//") + (s.startsWith("cluster:") ? 1 : 2));
            List<RedisURI> uris = new ArrayList<>();
            for (String h : hosts.split(",")) {
                uris.add(uri(h.trim(), password, 0, timeout));
            }
            RedisClusterClient cc = RedisClusterClient.create(uris);
            cc.setOptions(ClusterClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            return new RedisConnection(cc, c -> connectedToEveryMaster(((RedisClusterClient) c).connect()), purpose, true);
        }
        if (s.startsWith("redis-sentinel://")) {
            SentinelAddress sentinel = SentinelAddress.parse(s, db);
            RedisClient rc = RedisClient.create();
            rc.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            // the master name is resolved on the first connection (a pattern needs the sentinels), so a Redis that is
            // down at start-up stays non-fatal; lettuce asks the sentinels for the master's address on every reconnect
            return new RedisConnection(rc, c -> ((RedisClient) c).connect(sentinel.toUri((RedisClient) c, password, timeout)),
                    purpose, false);
        }
        RedisURI uri = uri(s.split(",")[0].trim(), password, db, timeout);
        RedisClient rc = RedisClient.create(uri);
        rc.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return new RedisConnection(rc, c -> ((RedisClient) c).connect(), purpose, false);
    }

    /**
     * Opens the connection to every master now. Lettuce opens node connections lazily, and with REJECT_COMMANDS a
     * command routed to a node whose connection is still being opened is rejected ("Currently not connected"), so
     * the first command after start-up would fail. (A master that appears later, after a resharding or a Cluster
     * failover, costs one rejected call.)
     */
    private static StatefulConnection<String, String> connectedToEveryMaster(StatefulRedisClusterConnection<String, String> c) {
        for (RedisClusterNode node : c.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                c.getConnection(node.getUri().getHost(), node.getUri().getPort()); // by host:port, as slot routing caches it
            }
        }
        return c;
    }

    private static RedisURI uri(String server, String password, int db, Duration timeout) {
        String text = server.contains("://") ? server : "redis://" + server;
        if (password != null && !text.contains("@")) {
            int s = text.indexOf("://") + 3;
            text = text.substring(0, s) + ":" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                    + "@" + text.substring(s);
        }
        RedisURI u = RedisURI.create(text);
        if (db != 0 && u.getDatabase() == 0) {
            u.setDatabase(db);
        }
        u.setTimeout(timeout);
        return u;
    }

    /** Whether this is a Redis Cluster: keys one command or script touches together must share a hash tag. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * Runs {@code op} on the (re)opened connection; lettuce's {@link io.lettuce.core.RedisException} (or a
     * CancellationException when the connection dropped for good) tells that the server is unreachable, timed out or
     * refused the command (callers turn it into their own "unavailable").
     */
    public <T> T call(Function<RedisClusterCommands<String, String>, T> op) {
        return op.apply(commands());
    }

    /** Runs a Lua script by its SHA, loading it first (and again after the server lost its script cache). */
    @SuppressWarnings("unchecked")
    public <T> T script(String body, ScriptOutputType type, String[] keys, String... args) {
        return call(c -> {
            String sha = scriptShas.get(body);
            if (sha != null) {
                try {
                    return (T) c.evalsha(sha, type, keys, args);
                } catch (RedisNoScriptException e) {
                    // the server restarted or flushed its script cache: load again below
                }
            }
            sha = c.scriptLoad(body);
            scriptShas.put(body, sha);
            return (T) c.evalsha(sha, type, keys, args);
        });
    }

    @SuppressWarnings("unchecked")
    private synchronized RedisClusterCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                connection.closeAsync();
                connection = null; // closed once: a failed reconnect below must not close it again on the next call
            }
            connection = connector.apply(client);
            commands = connection instanceof StatefulRedisClusterConnection<String, String> cc
                    ? cc.sync() : ((StatefulRedisConnection<String, String>) connection).sync();
            scriptShas.clear();
            log.info("connected to Redis for {}", purpose);
        }
        return commands;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
