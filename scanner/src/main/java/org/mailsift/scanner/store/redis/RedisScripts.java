package org.mailsift.scanner.store.redis;

/**
 * The Lua scripts that make each learn and each lookup one atomic server-side step. Every key shares the hash tag
 * {@code {RS}}, so the scripts also run on a Redis Cluster (all Bayes keys live in one slot).
 *
 * <p>Layout (close to Rspamd's, with the hash tag): {@code {RS}} is the global statistics hash (learns_spam,
 * learns_ham, tokens_spam, tokens_ham); {@code {RS}u:<user>} the same per user; {@code <prefix>_<token>} a token
 * hash with fields S and H; {@code {RS}learned_ids} the learned cache (field {@code <user>:<digest>}, value spam|ham);
 * {@code {RS}users} the set of users.
 */
final class RedisScripts {
    static final String GLOBAL = "{RS}";
    static final String USER_PREFIX = "{RS}u:";
    static final String LEARNED = "{RS}learned_ids";
    static final String USERS = "{RS}users";

    private RedisScripts() {
    }

    /** KEYS[1] = {RS}; ARGV = user ('' = none), class, digest, expire seconds, tokens... Returns the outcome name. */
    static final String LEARN = """
            local user, cls, digest, expire = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
            local field = user .. ':' .. digest
            local before = redis.call('HGET', '{RS}learned_ids', field)
            if before == cls then return 'ALREADY_LEARNED' end
            local prefixes = {'{RS}'}
            if user ~= '' then
              prefixes[2] = '{RS}u:' .. user
              redis.call('SADD', '{RS}users', user)
            end
            local function apply(c, sign)
              local f = (c == 'spam') and 'S' or 'H'
              local lf = (c == 'spam') and 'learns_spam' or 'learns_ham'
              local tf = (c == 'spam') and 'tokens_spam' or 'tokens_ham'
              for _, p in ipairs(prefixes) do
                if redis.call('HINCRBY', p, lf, sign) < 0 then redis.call('HSET', p, lf, 0) end
                local distinct = 0
                for i = 5, #ARGV do
                  local k = p .. '_' .. ARGV[i]
                  if sign < 0 then
                    local cur = tonumber(redis.call('HGET', k, f)) or 0
                    if cur == 1 then
                      redis.call('HDEL', k, f)
                      distinct = distinct - 1
                    elseif cur > 1 then
                      redis.call('HINCRBY', k, f, -1)
                    end
                  else
                    if redis.call('HINCRBY', k, f, 1) == 1 then distinct = distinct + 1 end
                    if expire > 0 then redis.call('EXPIRE', k, expire) end
                  end
                end
                if distinct ~= 0 then redis.call('HINCRBY', p, tf, distinct) end
              end
            end
            if before then apply(before, -1) end
            apply(cls, 1)
            redis.call('HSET', '{RS}learned_ids', field, cls)
            if before then return 'RELEARNED' end
            return 'LEARNED'
            """;

    /** KEYS[1] = {RS}; ARGV = prefix, tokens... Returns learns_spam, learns_ham, then S and H of each token. */
    static final String LOOKUP = """
            local p = ARGV[1]
            local l = redis.call('HMGET', p, 'learns_spam', 'learns_ham')
            local out = {tonumber(l[1]) or 0, tonumber(l[2]) or 0}
            for i = 2, #ARGV do
              local v = redis.call('HMGET', p .. '_' .. ARGV[i], 'S', 'H')
              out[#out + 1] = tonumber(v[1]) or 0
              out[#out + 1] = tonumber(v[2]) or 0
            end
            return out
            """;
}
