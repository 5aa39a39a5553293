package org.mailsift.scanner.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.BayesExportFormat;

/**
 * Bayes statistics in Redis (lettuce), shared by any number of daemons: each learn is one Lua script, so it is
 * atomic on the server together with its learned-cache check, and concurrent learners give exact counts.
 *
 * <p>{@code servers} takes what Rspamd's redis.conf takes ({@code "127.0.0.1:6379"}, first of a list) or a lettuce
 * URI: {@code redis://[:password@]host:port/db}, {@code rediss://...};
 * {@code redis-sentinel://[:sentinel_password@]host:port[,host:port][/db][#master]} asks the sentinels for the
 * master (the name may be a Lua pattern as Rspamd's {@code sentinel_masters_pattern}; see {@link SentinelAddress})
 * and again on every reconnect, so the store follows a failover; {@code redis-cluster://host:port[,host:port]} (or
 * {@code cluster:host:port,...}) connects to a Cluster, where every key shares the {@code {RS}} hash tag and so one
 * slot. While the server is unreachable every call fails at once with {@link UnavailableException} (commands are
 * not buffered; the caller queues learns), and the connection is retried on the next call. A server that lost its
 * script cache (restart, promoted replica) gets the scripts again on NOSCRIPT.
 */
public final class RedisBayesStore implements BayesStore {
    private final RedisConnection redis;
    private final long expireSeconds;

    private RedisBayesStore(RedisConnection redis, long expireSeconds) {
        this.redis = redis;
        this.expireSeconds = expireSeconds;
    }

    /** Creates the store; it connects on first use, so a Redis that is down at start-up is not fatal. */
    public static RedisBayesStore connect(String servers, String password, int db, long timeoutMillis, long expireSeconds) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("the Redis Bayes backend needs servers = \"host:port\" in classifier-bayes.conf or redis.conf");
        }
        return new RedisBayesStore(RedisConnection.connect(servers, password, db, Duration.ofMillis(timeoutMillis),
                "Bayes statistics"), expireSeconds);
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Applied learn(String user, LearnClass learnClass, String digest, long[] tokens) {
        String[] args = new String[4 + tokens.length];
        args[0] = user == null ? "" : user;
        args[1] = learnClass.label();
        args[2] = digest;
        args[3] = Long.toString(expireSeconds);
        for (int i = 0; i < tokens.length; i++) {
            args[4 + i] = Long.toUnsignedString(tokens[i]);
        }
        String result = call(c -> this.<String>script(c, true, ScriptOutputType.STATUS, args));
        return Applied.valueOf(result);
    }

    @Override
    public LearnClass learnedAs(String user, String digest) {
        String v = call(c -> c.hget(RedisScripts.LEARNED, (user == null ? "" : user) + ":" + digest));
        return v == null ? null : v.equals("spam") ? LearnClass.SPAM : LearnClass.HAM;
    }

    @Override
    public TokenCounts lookup(String user, long[] tokens) {
        String[] args = new String[1 + tokens.length];
        args[0] = prefix(user);
        for (int i = 0; i < tokens.length; i++) {
            args[1 + i] = Long.toUnsignedString(tokens[i]);
        }
        List<Long> r = call(c -> this.<List<Long>>script(c, false, ScriptOutputType.MULTI, args));
        long[] spam = new long[tokens.length];
        long[] ham = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            spam[i] = r.get(2 + 2 * i);
            ham[i] = r.get(3 + 2 * i);
        }
        return new TokenCounts(new ClassCounts(r.get(0), r.get(1)), spam, ham);
    }

    @Override
    public ClassCounts learns(String user) {
        return call(c -> counts(c.hgetall(prefix(user))));
    }

    @Override
    public Stats stats() {
        return call(c -> {
            Map<String, String> g = c.hgetall(RedisScripts.GLOBAL);
            Map<String, ClassCounts> users = new TreeMap<>();
            for (String u : c.smembers(RedisScripts.USERS)) {
                users.put(u, counts(c.hgetall(RedisScripts.USER_PREFIX + u)));
            }
            return new Stats(counts(g), num(g, "tokens_spam"), num(g, "tokens_ham"), users);
        });
    }

    @Override
    public void exportTo(OutputStream out) throws IOException {
        BayesExportFormat.Exporter w = new BayesExportFormat.Exporter(out);
        call(c -> {
            w.learns(null, learns(null).spam(), learns(null).ham());
            for (String u : c.smembers(RedisScripts.USERS)) {
                ClassCounts cc = counts(c.hgetall(RedisScripts.USER_PREFIX + u));
                w.learns(u, cc.spam(), cc.ham());
            }
            ScanArgs match = ScanArgs.Builder.matches(RedisScripts.GLOBAL + "*_*").limit(1000);
            KeyScanCursor<String> cursor = c.scan(match);
            while (true) {
                for (String key : cursor.getKeys()) {
                    int us = key.lastIndexOf('_');
                    String prefix = key.substring(0, us);
                    String user = prefix.startsWith(RedisScripts.USER_PREFIX) ? prefix.substring(RedisScripts.USER_PREFIX.length()) : null;
                    if (user == null && !prefix.equals(RedisScripts.GLOBAL)) {
                        continue;
                    }
                    Map<String, String> v = c.hgetall(key);
                    w.token(user, Long.parseUnsignedLong(key.substring(us + 1)), num(v, "S"), num(v, "H"));
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = c.scan(cursor, match); // the cursor itself: on a Cluster it also remembers the node
            }
            c.hgetall(RedisScripts.LEARNED).forEach((field, cls) -> {
                int colon = field.indexOf(':');
                String u = field.substring(0, colon);
                w.learned(u.isEmpty() ? null : u, field.substring(colon + 1), cls.equals("spam") ? LearnClass.SPAM : LearnClass.HAM);
            });
            return null;
        });
        w.finish();
    }

    @Override
    public void importFrom(InputStream in) throws IOException {
        BayesExportFormat.read(in, new BayesExportFormat.Visitor() {
            @Override
            public void learns(String user, long spam, long ham) {
                call(c -> {
                    if (user != null) {
                        c.sadd(RedisScripts.USERS, user);
                    }
                    c.hincrby(prefix(user), "learns_spam", spam);
                    return c.hincrby(prefix(user), "learns_ham", ham);
                });
            }

            @Override
            public void token(String user, long token, long spam, long ham) {
                call(c -> {
                    String key = prefix(user) + "_" + Long.toUnsignedString(token);
                    if (spam > 0 && c.hincrby(key, "S", spam) == spam) {
                        c.hincrby(prefix(user), "tokens_spam", 1);
                    }
                    if (ham > 0 && c.hincrby(key, "H", ham) == ham) {
                        c.hincrby(prefix(user), "tokens_ham", 1);
                    }
                    return null;
                });
            }

            @Override
            public void learned(String user, String digest, LearnClass c) {
                call(cmd -> cmd.hset(RedisScripts.LEARNED, (user == null ? "" : user) + ":" + digest, c.label()));
            }
        });
    }

    /** Deletes every Bayes key (tests and `mailsift bayes import --replace`). */
    public void clear() {
        call(c -> {
            ScanArgs match = ScanArgs.Builder.matches(RedisScripts.GLOBAL + "*").limit(1000);
            KeyScanCursor<String> cursor = c.scan(match);
            while (true) {
                if (!cursor.getKeys().isEmpty()) {
                    for (String k : cursor.getKeys()) {
                        c.del(k);
                    }
                }
                if (cursor.isFinished()) {
                    return null;
                }
                cursor = c.scan(cursor, match); // the cursor itself: on a Cluster it also remembers the node
            }
        });
    }

    private static String prefix(String user) {
        return user == null ? RedisScripts.GLOBAL : RedisScripts.USER_PREFIX + user;
    }

    private static ClassCounts counts(Map<String, String> h) {
        return new ClassCounts(num(h, "learns_spam"), num(h, "learns_ham"));
    }

    private static long num(Map<String, String> h, String f) {
        String v = h.get(f);
        return v == null ? 0 : Math.max(0, Long.parseLong(v));
    }

    private <T> T script(RedisClusterCommands<String, String> c, boolean learn, ScriptOutputType type, String[] args) {
        return redis.script(learn ? RedisScripts.LEARN : RedisScripts.LOOKUP, type, new String[] {RedisScripts.GLOBAL}, args);
    }

    private <T> T call(Function<RedisClusterCommands<String, String>, T> op) {
        try {
            return redis.call(op);
        } catch (RedisException | java.util.concurrent.CancellationException e) {
            // lettuce cancels the commands in flight when the connection drops for good (Redis killed, reconnect
            // failed): that is the server being unavailable too, and the learn must be queued, not answered 500
            throw new UnavailableException("Redis: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
