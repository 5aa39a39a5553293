package org.mailsift.scanner.policy.replies;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.policy.RedisTarget;

/**
 * {@code replies.conf}, Rspamd's replies module with its option names and defaults.
 *
 * @param expire       how long an outgoing Message-ID is remembered ({@code expire = 1d})
 * @param score        REPLY's weight ({@code score = -4})
 * @param action       {@code action}: forced on a reply from a stranger (e.g. "no action"), or null
 * @param useAuth      remember the mail of authenticated senders ({@code use_auth = true})
 * @param useLocal     remember the mail of local clients ({@code use_local = true})
 * @param minMessageId Message-IDs this long or shorter are not remembered ({@code min_message_id = 2})
 */
public record RepliesSettings(boolean enabled, Duration expire, String keyPrefix, int keySize, String message,
                              String symbol, double score, Action action, boolean useAuth, boolean useLocal,
                              int minMessageId, Optional<RedisTarget> redis) {
    public static final String SECTION = "replies";
    private static final Set<String> KNOWN = Set.of("enabled", "expire", "key_prefix", "key_size", "message", "symbol",
            "score", "action", "use_auth", "use_local", "min_message_id", "servers", "read_servers", "write_servers",
            "password", "db", "dbname", "redis", "timeout", "redis_timeout", "max_local_size", "max_global_size",
            "sender_prefix", "sender_key_global", "sender_key_size");

    public static RepliesSettings from(ConfigSource config) {
        UclObject s = config.section(SECTION);
        if (s.keys().size() == 1 && s.has(SECTION)) {
            s = s.getObject(SECTION).orElse(s);
        }
        s.warnUnknown(SECTION, KNOWN, config::warn);
        for (String cookie : new String[] {"cookie", "cookie_key"}) {
            if (s.has(cookie)) {
                config.warn(s.get(cookie).orElseThrow().position() + ": replies: cookie mode is not supported (ignored)");
            }
        }
        long expireMs = s.getMillis("expire", 86_400_000L);
        if (expireMs <= 0) {
            throw new ConfigException(s.get("expire").orElseThrow().position(), "expire must be positive");
        }
        Action action = null;
        if (s.getScalar("action").filter(v -> !v.isNull()).isPresent()) {
            String name = s.getString("action", null);
            UclObject src = s;
            action = Action.fromName(name).orElseThrow(() -> new ConfigException(src.get("action").orElseThrow().position(),
                    "unknown action \"" + name + "\""));
        }
        long keySize = s.getLong("key_size", 20);
        if (keySize < 8 || keySize > 52) {
            throw new ConfigException(s.get("key_size").orElseThrow().position(), "key_size must be 8..52");
        }
        return new RepliesSettings(s.getBoolean("enabled", true), Duration.ofMillis(expireMs),
                s.getString("key_prefix", "rr"), (int) keySize,
                s.getString("message", "Message is reply to one we originated"), s.getString("symbol", "REPLY"),
                s.getDouble("score", -4), action, s.getBoolean("use_auth", true), s.getBoolean("use_local", true),
                (int) s.getLong("min_message_id", 2),
                RedisTarget.of(SECTION, s, config.section("redis"), Duration.ofSeconds(1)));
    }
}
