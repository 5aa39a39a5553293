package org.mailsift.scanner.policy.replies;

import java.util.List;

import org.mailsift.scanner.store.redis.RedisConnection;

/**
 * Remembered Message-IDs in Redis as Rspamd keeps them: a string key per Message-ID (PSETEX), looked up with one MGET.
 * On a Cluster the keys carry the {@code {rr}} hash tag so one MGET may read them together.
 */
public final class RedisReplyStore implements ReplyStore {
    private final RedisConnection redis;

    public RedisReplyStore(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public void remember(String key, String value, long ttlMillis) {
        redis.call(c -> c.psetex(tag() + key, ttlMillis, value));
    }

    @Override
    public List<String> find(List<String> keys) {
        String[] tagged = keys.stream().map(k -> tag() + k).toArray(String[]::new);
        return redis.call(c -> c.mget(tagged)).stream().map(kv -> kv.getValueOrElse(null)).toList();
    }

    private String tag() {
        return redis.cluster() ? "{rr}" : "";
    }
}
