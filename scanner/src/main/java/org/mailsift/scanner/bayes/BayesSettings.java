package org.mailsift.scanner.bayes;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;

/**
 * {@code classifier-bayes.conf}, with Rspamd's option names.
 *
 * @param minLearns     learns needed in EACH class before Bayes speaks (Rspamd: 200)
 * @param minTokens     tokens a message needs to be learned or classified (Rspamd: 11)
 * @param perUser       keep statistics per mailbox owner too (classification uses the owner's statistics,
 *                      combined with the global ones while the owner has fewer than min_learns per class)
 * @param autolearn     autolearn thresholds, or null when autolearn is off
 * @param learnGuard    refuse a (non-bulk) learn when the message is already classified into that class with at
 *                      least this probability; 0 turns the guard off. Rspamd uses 0.95
 * @param expireSeconds TTL for tokens in Redis (0 = never), Rspamd's {@code expire}
 * @param backend       "embedded" (default) or "redis"
 * @param servers       Redis servers (host:port list, or a redis://, redis-sentinel://, rediss://, redis-cluster:// URI);
 *                      Rspamd's {@code sentinels} (+ {@code sentinel_masters_pattern}, {@code sentinel_password}, and
 *                      mailsift's {@code sentinel_master}) become a redis-sentinel:// URI, mailsift's
 *                      {@code cluster = true} turns the servers into a redis-cluster:// URI
 * @param password      Redis password, or null
 * @param db            Redis database number
 * @param timeoutMillis Redis command timeout
 */
public record BayesSettings(int minLearns, int minTokens, boolean perUser, Autolearn autolearn, double learnGuard,
                            long expireSeconds, String backend, String servers, String password, int db,
                            long timeoutMillis) {

    /** Chosen by the accuracy benchmark (see the Bayes note): learning everything beats the 0.95 guard. */
    public static final double DEFAULT_LEARN_GUARD = 0;

    private static final Set<String> KNOWN = Set.of("min_learns", "min_tokens", "per_user", "users_enabled", "autolearn",
            "expire", "backend", "servers", "write_servers", "read_servers", "password", "db", "dbname", "database",
            "timeout", "learn_guard", "sentinels", "sentinel_master", "sentinel_masters_pattern", "sentinel_password",
            "sentinel_watch_time", "sentinel_master_maxerrors", "cluster",
            // Rspamd options accepted for compatibility; mailsift's tokenizer and cache are fixed
            "tokenizer", "statfile", "name", "new_schema", "cache", "signatures", "store_tokens", "learn_condition",
            "max_tokens", "min_prob_strength", "min_token_hits", "lazy", "per_language", "classify_headers",
            // OutboundHam's options
            "outbound_ham", "outbound_ham_max_score", "outbound_ham_local");

    /**
     * Autolearn thresholds on the scan score: spam at or above {@code spamThreshold}, ham at or below
     * {@code hamThreshold}.
     */
    public record Autolearn(double hamThreshold, double spamThreshold) {
    }

    public static BayesSettings defaults() {
        return new BayesSettings(200, 11, false, null, DEFAULT_LEARN_GUARD, 0, "embedded", null, null, 0, 2000);
    }

    /**
     * Reads the settings. {@code redis} is the global redis.conf section (servers, password, db, timeout), used when
     * classifier-bayes has no servers of its own; {@code rejectScore} is the reject threshold, needed for
     * {@code autolearn = true}. Unknown options are reported to {@code warn}.
     */
    public static BayesSettings from(UclObject bayes, UclObject redis, double rejectScore, Consumer<String> warn) {
        bayes.warnUnknown("classifier-bayes", KNOWN, warn);
        BayesSettings d = defaults();
        boolean perUser = bayes.has("per_user") ? perUserFlag(bayes.get("per_user").orElseThrow())
                : bayes.getBoolean("users_enabled", d.perUser());
        String servers = firstNonNull(bayes.has("servers") ? joined(bayes, "servers") : null,
                bayes.has("write_servers") ? joined(bayes, "write_servers") : null,
                redis.has("servers") ? joined(redis, "servers") : null,
                redis.has("write_servers") ? joined(redis, "write_servers") : null);
        boolean ownServers = bayes.has("servers") || bayes.has("sentinels");
        UclObject topology = bayes.has("sentinels") || bayes.has("servers") || bayes.has("write_servers") ? bayes : redis;
        if (topology.has("sentinels")) {
            servers = sentinelUri(topology);
        } else if (servers != null && topology.getBoolean("cluster", false) && !servers.contains("://")) {
            servers = "redis-cluster://" + servers;
        }
        String backend = bayes.getString("backend", servers != null && ownServers ? "redis" : d.backend());
        if (!backend.equals("embedded") && !backend.equals("redis")) {
            throw new ConfigException(bayes.get("backend").orElseThrow().position(),
                    "backend must be \"embedded\" or \"redis\", found \"" + backend + "\"");
        }
        UclObject src = bayes.has("password") || bayes.has("db") || bayes.has("timeout") ? bayes : redis;
        return new BayesSettings(
                (int) bayes.getLong("min_learns", d.minLearns()),
                (int) bayes.getLong("min_tokens", d.minTokens()),
                perUser,
                autolearn(bayes, rejectScore, warn),
                bayes.getDouble("learn_guard", d.learnGuard()),
                bayes.getScalar("expire").map(s -> s.value() instanceof Boolean b ? (b ? 864000L : 0L) : (long) s.asDouble()).orElse(0L),
                backend,
                servers,
                src.getString("password", null),
                (int) src.getLong("db", src.getLong("dbname", src.getLong("database", 0))),
                src.getMillis("timeout", d.timeoutMillis()));
    }

    private static boolean perUserFlag(UclValue v) {
        if (v instanceof UclScalar s && s.value() instanceof String str && !str.equalsIgnoreCase("true")
                && !str.equalsIgnoreCase("false") && !str.equalsIgnoreCase("yes") && !str.equalsIgnoreCase("no")) {
            // Rspamd allows a Lua function returning the user; mailsift always keys by the mailbox owner
            return true;
        }
        return v instanceof UclScalar s && s.asBoolean();
    }

    /** {@code autolearn = true | false | [ham, spam] | { spam_threshold = 6; ham_threshold = -0.5; }}. */
    static Autolearn autolearn(UclObject bayes, double rejectScore, Consumer<String> warn) {
        UclValue v = bayes.get("autolearn").orElse(null);
        if (v == null) {
            return null;
        }
        if (v instanceof UclScalar s) {
            // Rspamd: spam when the score exceeds the reject threshold, ham when it is below zero
            return s.asBoolean() ? new Autolearn(-0.01, rejectScore) : null;
        }
        if (v instanceof UclArray a) {
            List<UclValue> items = a.items();
            if (items.size() != 2 || !(items.get(0) instanceof UclScalar h) || !(items.get(1) instanceof UclScalar sp)) {
                throw new ConfigException(v.position(), "autolearn must be [ham_threshold, spam_threshold]");
            }
            return new Autolearn(h.asDouble(), sp.asDouble());
        }
        UclObject o = (UclObject) v;
        o.warnUnknown("classifier-bayes autolearn", Set.of("spam_threshold", "ham_threshold", "junk_threshold",
                "check_balance", "min_balance"), warn);
        return new Autolearn(o.getDouble("ham_threshold", -0.5), o.getDouble("spam_threshold", rejectScore));
    }

    /**
     * Rspamd's {@code sentinels = "host:port,..."} with {@code sentinel_masters_pattern} (a Lua pattern; mailsift also
     * takes the plain name as {@code sentinel_master}) and {@code sentinel_password}, as the redis-sentinel:// URI the
     * store takes. {@code sentinel_watch_time} is accepted and unused: lettuce asks the sentinels on every reconnect.
     */
    private static String sentinelUri(UclObject o) {
        String master = o.getString("sentinel_master", o.getString("sentinel_masters_pattern", ""));
        String password = o.getString("sentinel_password", null);
        String auth = password == null ? "" : ":" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "@";
        return "redis-sentinel://" + auth + joined(o, "sentinels").replace(" ", "") + (master.isEmpty() ? "" : "#" + master);
    }

    private static String joined(UclObject o, String key) {
        return String.join(",", o.getStringList(key));
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
