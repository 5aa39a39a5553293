package org.mailsift.scanner.policy.greylist;

import java.util.List;

import io.lettuce.core.ScriptOutputType;
import org.mailsift.scanner.store.redis.RedisConnection;

/**
 * Greylisting records in Redis, as Rspamd keeps them (string keys holding the creation time in seconds, with a TTL of
 * {@code expire}), read and written by one script: one round trip per message. On a Cluster both keys carry the
 * {@code {rg}} hash tag so one script may touch them.
 */
public final class RedisGreylistStore implements GreylistStore {
    /** KEYS: body, meta. ARGV: mayRecord (1/0), now, timeout, expire. Returns {body or "", meta or ""}. */
    static final String CHECK = """
            local b = redis.call('GET', KEYS[1])
            local m = redis.call('GET', KEYS[2])
            local tb = b and tonumber(b)
            local tm = m and tonumber(m)
            if ARGV[1] == '1' then
              local now, timeout = tonumber(ARGV[2]), tonumber(ARGV[3])
              local young_b = tb and now - tb < timeout
              local young_m = tm and (not tb or young_b) and now - tm < timeout
              if not tb and not tm then
                redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[4])
                redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
              elseif not young_b and not young_m then
                redis.call('EXPIRE', KEYS[1], ARGV[4])
                redis.call('EXPIRE', KEYS[2], ARGV[4])
              end
            end
            return {tb and b or '', tm and m or ''}
            """;

    private final RedisConnection redis;

    public RedisGreylistStore(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public GreylistRecords check(GreylistKeys keys, long nowSeconds, long timeoutSeconds, long expireSeconds,
                                 boolean mayRecord) {
        String tag = redis.cluster() ? "{rg}" : "";
        List<String> r = redis.script(CHECK, ScriptOutputType.MULTI, new String[] {tag + keys.body(), tag + keys.meta()},
                mayRecord ? "1" : "0", Long.toString(nowSeconds), Long.toString(timeoutSeconds), Long.toString(expireSeconds));
        return new GreylistRecords(seconds(r.get(0)), seconds(r.get(1)));
    }

    private static Long seconds(String v) {
        return v == null || v.isEmpty() ? null : Long.parseLong(v);
    }

    @Override
    public String kind() {
        return "redis";
    }
}
