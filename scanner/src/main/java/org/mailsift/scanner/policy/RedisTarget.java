package org.mailsift.scanner.policy;

import java.time.Duration;
import java.util.Optional;

import org.mailsift.core.config.UclObject;

/**
 * Where a policy module keeps its state in Redis, found as Rspamd's lua_redis finds it: the module's own
 * {@code servers} (or its {@code redis { }} block), else redis.conf's section named after the module, else redis.conf's
 * {@code servers}. No servers anywhere: the embedded store.
 *
 * @param servers  what {@link org.mailsift.scanner.store.redis.RedisConnection#connect} takes
 * @param timeout  how long one command may take (Rspamd's {@code timeout} of redis.conf, or the module's
 *                 {@code redis_timeout}); a store slower than that is treated as down for that message
 */
public record RedisTarget(String servers, String password, int db, Duration timeout) {

    /** The target for module {@code name}, or empty for the embedded store. */
    public static Optional<RedisTarget> of(String name, UclObject module, UclObject redis, Duration defaultTimeout) {
        UclObject src = null;
        if (module.has("servers") || module.has("write_servers")) {
            src = module;
        } else if (module.getObject("redis").map(r -> r.has("servers")).orElse(false)) {
            src = module.getObject("redis").orElseThrow();
        } else if (redis.get(name).map(v -> v instanceof UclObject o && o.has("servers")).orElse(false)) {
            src = redis.getObject(name).orElseThrow();
        } else if (redis.has("servers") || redis.has("write_servers")) {
            src = redis;
        }
        if (src == null) {
            return Optional.empty();
        }
        String servers = joined(src, src.has("write_servers") ? "write_servers" : "servers");
        String password = src.getString("password", null);
        int db = (int) src.getLong("db", src.getLong("dbname", 0));
        long timeoutMillis = module.has("redis_timeout") ? module.getMillis("redis_timeout", defaultTimeout.toMillis())
                : src.getMillis("timeout", defaultTimeout.toMillis());
        return Optional.of(new RedisTarget(servers, password, db, Duration.ofMillis(Math.max(1, timeoutMillis))));
    }

    private static String joined(UclObject o, String key) {
        return String.join(",", o.getStringList(key).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList());
    }
}
