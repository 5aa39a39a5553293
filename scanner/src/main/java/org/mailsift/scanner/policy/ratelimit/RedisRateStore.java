package org.mailsift.scanner.policy.ratelimit;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ScriptOutputType;

import org.mailsift.scanner.store.redis.RedisConnection;

/**
 * Rate buckets in Redis, as Rspamd keeps them: a hash per bucket with fields {@code l} (last hit, ms), {@code b}
 * (level), {@code p} (pending), {@code dr} / {@code db} (dynamic multipliers × 10000), expiring {@code expire} after
 * the last update; so mailsift and Rspamd pointed at one Redis share buckets. All of a message's buckets are checked
 * (or updated) by one script: one round trip, atomic. On a Redis Cluster the keys carry the hash tag {@code {RL}}
 * so one script may touch them all.
 */
public final class RedisRateStore implements RateStore {
    /** KEYS: buckets; ARGV: now, expire, then per bucket: leak per ms, burst, increment, dynamic (1/0). */
    static final String CHECK = """
            local now, expire = tonumber(ARGV[1]), ARGV[2]
            local out = {}
            for i, key in ipairs(KEYS) do
              local a = 2 + (i - 1) * 4
              local leak, max_burst, incr = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
              local dynamic = ARGV[a + 4] == '1'
              local last = redis.call('HGET', key, 'l')
              if not last then
                redis.call('HMSET', key, 'l', tostring(now), 'b', '0', 'dr', '10000', 'db', '10000', 'p', tostring(incr))
                redis.call('EXPIRE', key, expire)
                table.insert(out, 0); table.insert(out, '0'); table.insert(out, '1'); table.insert(out, '1')
              else
                last = tonumber(last)
                local v = redis.call('HMGET', key, 'b', 'p', 'dr', 'db')
                local burst, pending = tonumber(v[1] or '0') or 0, tonumber(v[2] or '0') or 0
                if burst < 0 then burst = 0 end
                if pending < 0 then pending = 0 end
                pending = pending + incr
                local dynr, dynb = 0, 0
                if burst > 0 and last < now then
                  dynr = 1.0
                  if dynamic then
                    dynr = (tonumber(v[3] or '10000') or 10000) / 10000.0
                    if dynr == 0 then dynr = 0.0001 end
                  end
                  local leaked = (now - last) * leak * dynr
                  if leaked > burst then leaked = burst end
                  burst = burst - leaked
                  redis.call('HINCRBYFLOAT', key, 'b', -leaked)
                  redis.call('HSET', key, 'l', tostring(now))
                end
                dynb = 1.0
                if dynamic then
                  dynb = (tonumber(v[4] or '10000') or 10000) / 10000.0
                  if dynb == 0 then dynb = 0.0001 end
                end
                local total = burst + pending
                if total > 0 and total > max_burst * dynb then
                  table.insert(out, 1); table.insert(out, tostring(total - pending))
                else
                  redis.call('HINCRBY', key, 'p', incr)
                  table.insert(out, 0); table.insert(out, tostring(total))
                end
                table.insert(out, tostring(dynr)); table.insert(out, tostring(dynb))
              end
            end
            return out
            """;

    /**
     * KEYS: buckets; ARGV: now, expire, then per bucket: rate factor, burst factor, max rate mult, max burst mult,
     * increment, dynamic (1/0).
     */
    static final String UPDATE = """
            local now, expire = ARGV[1], ARGV[2]
            local function adjust(key, field, mult, max)
              if max <= 1 then return end
              local m = (tonumber(redis.call('HGET', key, field) or '10000') or 10000) / 10000
              if (mult > 1.0 and m < max) or (mult < 1.0 and m > 1.0 / max) then
                m = m * mult
                if m > 0.0001 then
                  redis.call('HSET', key, field, tostring(math.floor(m * 10000)))
                else
                  redis.call('HSET', key, field, '1')
                end
              end
            end
            for i, key in ipairs(KEYS) do
              local a = 2 + (i - 1) * 6
              local incr = tonumber(ARGV[a + 5])
              if not redis.call('HGET', key, 'l') then
                redis.call('HMSET', key, 'l', now, 'b', tostring(incr), 'dr', '10000', 'db', '10000', 'p', '0')
              else
                if ARGV[a + 6] == '1' then
                  adjust(key, 'dr', tonumber(ARGV[a + 1]), tonumber(ARGV[a + 3]))
                  adjust(key, 'db', tonumber(ARGV[a + 2]), tonumber(ARGV[a + 4]))
                end
                local v = redis.call('HMGET', key, 'b', 'p')
                local burst, pending = tonumber(v[1] or '0') or 0, tonumber(v[2] or '0') or 0
                if burst < 0 then burst = incr else burst = burst + incr end
                if pending < incr then pending = 0 else pending = pending - incr end
                redis.call('HMSET', key, 'b', tostring(burst), 'p', tostring(pending), 'l', now)
              end
              redis.call('EXPIRE', key, expire)
            end
            return #KEYS
            """;

    /** KEYS: buckets; ARGV: now, expire, then per bucket: increment. */
    static final String CLEANUP = """
            local now, expire = ARGV[1], ARGV[2]
            for i, key in ipairs(KEYS) do
              if redis.call('HGET', key, 'l') then
                local incr = tonumber(ARGV[2 + i])
                local pending = tonumber(redis.call('HGET', key, 'p') or '0') or 0
                if pending < incr then pending = 0 else pending = pending - incr end
                redis.call('HMSET', key, 'p', tostring(pending), 'l', now)
                redis.call('EXPIRE', key, expire)
              end
            end
            return #KEYS
            """;

    private final RedisConnection redis;

    public RedisRateStore(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public List<Result> check(List<Bucket> buckets, long nowMillis, long expireSeconds) {
        if (buckets.isEmpty()) {
            return List.of();
        }
        List<String> perBucket = new ArrayList<>();
        for (Bucket b : buckets) {
            perBucket.addAll(List.of(Double.toString(b.leakPerMilli()), Double.toString(b.burst()),
                    Integer.toString(b.increment()), b.dynamic() ? "1" : "0"));
        }
        List<Object> r = run(CHECK, ScriptOutputType.MULTI, buckets.stream().map(Bucket::key).toList(), nowMillis,
                expireSeconds, perBucket);
        List<Result> out = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            out.add(new Result(number(r.get(4 * i)) == 1, number(r.get(4 * i + 1)), number(r.get(4 * i + 2)),
                    number(r.get(4 * i + 3))));
        }
        return out;
    }

    @Override
    public void update(List<Update> updates, long nowMillis, long expireSeconds) {
        List<String> perBucket = new ArrayList<>();
        for (Update u : updates) {
            perBucket.addAll(List.of(Double.toString(u.rateMult()), Double.toString(u.burstMult()),
                    Double.toString(u.maxRateMult()), Double.toString(u.maxBurstMult()), Integer.toString(u.increment()),
                    u.dynamic() ? "1" : "0"));
        }
        run(UPDATE, ScriptOutputType.INTEGER, updates.stream().map(Update::key).toList(), nowMillis, expireSeconds,
                perBucket);
    }

    @Override
    public void cleanup(List<Bucket> buckets, long nowMillis, long expireSeconds) {
        run(CLEANUP, ScriptOutputType.INTEGER, buckets.stream().map(Bucket::key).toList(), nowMillis, expireSeconds,
                buckets.stream().map(b -> Integer.toString(b.increment())).toList());
    }

    /** One script call over {@code keys}: ARGV is now, expire, then the buckets' own arguments. */
    private <T> T run(String script, ScriptOutputType type, List<String> keys, long nowMillis, long expireSeconds,
                      List<String> perBucket) {
        if (keys.isEmpty()) {
            return null;
        }
        String tag = redis.cluster() ? "{RL}" : "";
        String[] k = keys.stream().map(key -> tag + key).toArray(String[]::new);
        List<String> args = new ArrayList<>(List.of(Long.toString(nowMillis), Long.toString(expireSeconds)));
        args.addAll(perBucket);
        return redis.script(script, type, k, args.toArray(String[]::new));
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        return o == null ? 0 : Double.parseDouble(o.toString());
    }
}
