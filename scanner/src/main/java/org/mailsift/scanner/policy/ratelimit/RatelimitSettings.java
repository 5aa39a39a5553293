package org.mailsift.scanner.policy.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.maps.LiveList;
import org.mailsift.scanner.policy.PolicyMaps;
import org.mailsift.scanner.policy.RedisTarget;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorException;
import org.mailsift.scanner.settings.CidrSet;

/**
 * {@code ratelimit.conf}, Rspamd's ratelimit module with its option names and defaults: the dynamic ham/spam factors
 * apply with {@code dynamic_rate_limit = true}, or to a bucket that sets a factor of its own, as in current Rspamd
 * (Rspamd 3.4 always applied them, so a sender of ham could exceed the configured burst).
 *
 * @param rates            the limits, in file order
 * @param whitelistedRcpts recipients (user part or address, lower case) whose mail is never limited
 * @param symbol           insert this symbol for a limited message instead of soft-rejecting it, or null
 * @param infoSymbol       insert this symbol next to the soft reject, or null
 * @param expire           how long an idle bucket lives ({@code expire = 2d})
 * @param allowLocal       {@code allow_local}: also limit scans asked by rspamc or the web interface (User-Agent rspamc
 *                         or a Password header), which Rspamd's ratelimit skips by default
 * @param redis            {@code servers} (here or in redis.conf), or empty for the embedded store
 */
public record RatelimitSettings(boolean enabled, List<RateLimit> rates, LiveList<Set<String>> whitelistedRcpts,
                                LiveList<CidrSet> whitelistedIp, LiveList<Set<String>> whitelistedUser, String symbol,
                                String infoSymbol,
                                Duration expire, List<String> bounceSenders, String prefix, boolean allowLocal,
                                Optional<RedisTarget> redis) {
    public static final String SECTION = "ratelimit";
    /** Rspamd's names of rates without a selector: keywords joined by {@code _} ({@code to_ip_from}). */
    static final Set<String> KEYWORDS = Set.of("ip", "rip", "from", "bounce", "user", "to", "digest", "attachments",
            "files");
    private static final Set<String> KNOWN = Set.of("enabled", "rates", "whitelisted_rcpts", "whitelisted_ip",
            "whitelisted_user", "symbol", "info_symbol", "expire", "bounce_senders", "prefix", "dynamic_rate_limit",
            "ham_factor_rate", "spam_factor_rate", "ham_factor_burst", "spam_factor_burst", "max_rate_mult",
            "max_bucket_mult", "allow_local", "prefilter", "lfb_cache_prefix", "lfb_max_cache_size", "servers",
            "read_servers", "write_servers", "password", "db", "dbname", "redis", "timeout", "redis_timeout",
            "message_func", "custom_keywords", "limit");
    private static final Set<String> BUCKET_KEYS = Set.of("burst", "rate", "symbol", "message", "skip_soft_reject",
            "skip_recipients", "ham_factor_rate", "spam_factor_rate", "ham_factor_burst", "spam_factor_burst",
            "max_rate_mult", "max_bucket_mult");
    private static final Pattern LIMIT = Pattern.compile(
            "^\\s*([+-]?(?:\\d+(?:\\.\\d+)?|\\.\\d+))([kmg]?)\\s*/\\s*([+-]?(?:\\d+(?:\\.\\d+)?|\\.\\d+))([smhd]?)\\s*$");

    /**
     * One rate of {@code rates { NAME { ... } }}.
     *
     * @param selector the selector giving the bucket keys, or null for a keyword rate ({@code to_ip})
     * @param keywords the keywords of a rate without a selector, from its name
     */
    public record RateLimit(String name, Selector selector, List<String> keywords, List<RateBucketConfig> buckets) {
    }

    /** Module-wide defaults every bucket starts from. */
    private record Defaults(boolean dynamic, double hamFactorRate, double spamFactorRate, double hamFactorBurst,
                            double spamFactorBurst, double maxRateMult, double maxBucketMult) {
    }

    public static RatelimitSettings from(ConfigSource config) {
        UclObject section = config.section(SECTION);
        // ratelimit { ... } inside ratelimit.conf, as Rspamd's stock file
        UclObject s = section.keys().size() == 1 && section.has(SECTION)
                ? section.getObject(SECTION).orElse(section) : section;
        s.warnUnknown(SECTION, KNOWN, config::warn);
        for (String lua : List.of("message_func", "custom_keywords")) {
            s.get(lua).ifPresent(v -> config.warn(v.position() + ": " + lua + " (Lua) is not supported (ignored)"));
        }
        s.get("limit").ifPresent(v -> config.warn(v.position()
                + ": the legacy 'limit' format is not supported by Rspamd either; use rates { } (ignored)"));
        Defaults defaults = new Defaults(s.getBoolean("dynamic_rate_limit", false),
                s.getDouble("ham_factor_rate", 1.01), s.getDouble("spam_factor_rate", 0.99),
                s.getDouble("ham_factor_burst", 1.02), s.getDouble("spam_factor_burst", 0.98),
                s.getDouble("max_rate_mult", 5), s.getDouble("max_bucket_mult", 10));
        List<RateLimit> rates = new ArrayList<>();
        s.getObject("rates").ifPresent(r -> {
            for (Map.Entry<String, List<UclValue>> e : r.entries().entrySet()) {
                UclValue v = e.getValue().get(e.getValue().size() - 1);
                rateLimit(config, e.getKey(), v, defaults).ifPresent(rates::add);
            }
        });
        long expireMillis = s.getMillis("expire", 2 * 86400 * 1000L);
        if (expireMillis < 1000) {
            throw new ConfigException(s.get("expire").orElseThrow().position(), "expire must be at least 1s");
        }
        LiveList<Set<String>> rcpts = PolicyMaps.live(config, s, SECTION, "whitelisted_rcpts",
                List.of("postmaster", "mailer-daemon"), (entries, warnings) -> lowerSet(entries));
        LiveList<CidrSet> ips = PolicyMaps.live(config, s, SECTION, "whitelisted_ip", List.of(), CidrSet::parse);
        LiveList<Set<String>> users = PolicyMaps.live(config, s, SECTION, "whitelisted_user", List.of(),
                (entries, warnings) -> lowerSet(entries));
        List<String> bounce = s.has("bounce_senders") ? s.getStringList("bounce_senders")
                : List.of("postmaster", "mailer-daemon", "", "null", "fetchmail-daemon", "mdaemon");
        return new RatelimitSettings(s.getBoolean("enabled", true), List.copyOf(rates), rcpts, ips, users,
                s.getString("symbol", null), s.getString("info_symbol", null), Duration.ofMillis(expireMillis),
                bounce.stream().map(b -> b.toLowerCase(Locale.ROOT)).toList(), s.getString("prefix", "RL"),
                s.getBoolean("allow_local", false), RedisTarget.of(SECTION, s, config.section("redis"), Duration.ofSeconds(1)));
    }

    /** Follows the whitelists' map files and HTTP maps every {@code interval} until {@link #close()}. */
    public void watch(Duration interval) {
        whitelistedRcpts.watch(interval);
        whitelistedIp.watch(interval);
        whitelistedUser.watch(interval);
    }

    public void close() {
        whitelistedRcpts.close();
        whitelistedIp.close();
        whitelistedUser.close();
    }

    /** Whether any rate is configured (without one the module does nothing, as Rspamd's). */
    public boolean active() {
        return enabled && !rates.isEmpty();
    }

    private static Set<String> lowerSet(List<String> items) {
        Set<String> out = new LinkedHashSet<>();
        for (String i : items) {
            for (String part : i.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return Set.copyOf(out);
    }

    private static Optional<RateLimit> rateLimit(ConfigSource config, String name, UclValue v, Defaults d) {
        List<RateBucketConfig> buckets = new ArrayList<>();
        Selector selector = null;
        if (v instanceof UclObject o && o.has("bucket")) {
            o.warnUnknown("ratelimit rate " + name, Set.of("bucket", "selector"), config::warn);
            for (UclValue b : o.getList("bucket")) {
                if (!(b instanceof UclObject bo)) {
                    throw new ConfigException(b.position(), "rate " + name + ": bucket must be { burst = N; rate = \"N / T\"; }");
                }
                buckets.add(bucket(config, name, bo, d));
            }
            if (o.has("selector")) {
                UclScalar sel = o.getScalar("selector").orElseThrow();
                try {
                    selector = Selector.parse(sel.asString());
                } catch (SelectorException e) {
                    Position p = sel.position();
                    throw new ConfigException(new Position(p.file(), p.line(), p.column() + Math.max(0, e.position())),
                            "rate " + name + ": " + e.getMessage());
                }
            }
        } else if (v instanceof UclObject o) {
            throw new ConfigException(o.position(), "rate " + name + " has no bucket { burst = N; rate = \"N / T\"; }");
        } else if (v instanceof UclScalar sc && sc.value() instanceof String text) {
            // old style: NAME = "100 / 1m" is a burst of 100 leaking 100 a minute
            double[] limit = limit(sc.position(), name, text);
            buckets.add(resolve(limit[0], limit[0] / limit[1], null, d));
            config.warn(sc.position() + ": old style rate for " + name + ": use " + name
                    + " { bucket { burst = N; rate = \"N / T\"; } }");
        } else if (v instanceof UclArray a && a.items().size() == 2 && a.items().get(0) instanceof UclScalar b
                && a.items().get(1) instanceof UclScalar r) {
            // older still: NAME = [burst, rate]; a zero burst disables the rate
            if (b.asDouble() <= 0 || r.asDouble() <= 0) {
                config.warn(a.position() + ": rate " + name + " has a zero burst or rate: disabled");
                return Optional.empty();
            }
            buckets.add(resolve(b.asDouble(), r.asDouble(), null, d));
        } else {
            throw new ConfigException(v.position(), "rate " + name
                    + " must be { selector = \"...\"; bucket { burst = N; rate = \"N / T\"; } }");
        }
        List<String> keywords = List.of();
        if (selector == null) {
            keywords = List.of(name.split("_"));
            for (String k : keywords) {
                if (!KEYWORDS.contains(k)) {
                    throw new ConfigException(v.position(), "rate " + name + " has no selector, and '" + k
                            + "' is not one of Rspamd's rate keywords (" + String.join(", ", new java.util.TreeSet<>(KEYWORDS))
                            + "; joined with _, e.g. to_ip_from)");
                }
            }
        }
        return Optional.of(new RateLimit(name, selector, keywords, List.copyOf(buckets)));
    }

    private static RateBucketConfig bucket(ConfigSource config, String name, UclObject b, Defaults d) {
        b.warnUnknown("ratelimit rate " + name + " bucket", BUCKET_KEYS, config::warn);
        UclScalar burstValue = b.getScalar("burst").orElseThrow(() -> new ConfigException(b.position(),
                "rate " + name + ": bucket needs burst = N"));
        UclScalar rateValue = b.getScalar("rate").orElseThrow(() -> new ConfigException(b.position(),
                "rate " + name + ": bucket needs rate = \"N / T\" (e.g. \"1 / 1m\") or messages a second"));
        double burst = burstValue.value() instanceof String s ? number(burstValue.position(), name, s)
                : burstValue.asDouble();
        double rate;
        if (rateValue.value() instanceof String s && s.contains("/")) {
            double[] limit = limit(rateValue.position(), name, s);
            rate = limit[0] / limit[1];
        } else {
            rate = rateValue.value() instanceof String s ? number(rateValue.position(), name, s) : rateValue.asDouble();
        }
        if (burst <= 0) {
            throw new ConfigException(burstValue.position(), "rate " + name + ": burst must be positive");
        }
        if (rate <= 0) {
            throw new ConfigException(rateValue.position(), "rate " + name + ": rate must be positive");
        }
        return resolve(burst, rate, b, d);
    }

    private static RateBucketConfig resolve(double burst, double rate, UclObject b, Defaults d) {
        UclObject o = b == null ? UclObject.empty(Position.BUILTIN) : b;
        boolean specific = o.has("ham_factor_rate") || o.has("spam_factor_rate") || o.has("ham_factor_burst")
                || o.has("spam_factor_burst");
        return new RateBucketConfig(burst, rate, o.getString("symbol", null), o.getString("message", null),
                o.getBoolean("skip_soft_reject", false), o.getBoolean("skip_recipients", false),
                specific || d.dynamic(), o.getDouble("ham_factor_rate", d.hamFactorRate()),
                o.getDouble("spam_factor_rate", d.spamFactorRate()), o.getDouble("ham_factor_burst", d.hamFactorBurst()),
                o.getDouble("spam_factor_burst", d.spamFactorBurst()), o.getDouble("max_rate_mult", d.maxRateMult()),
                o.getDouble("max_bucket_mult", d.maxBucketMult()));
    }

    /** Rspamd's limit string {@code "N[kmg] / T[smhd]"}: returns {count, seconds}. */
    static double[] limit(Position at, String name, String text) {
        Matcher m = LIMIT.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(at, "rate " + name + ": bad limit \"" + text
                    + "\" (expected \"N / T\", e.g. \"100 / 1h\", \"1 / 1m\", \"10k / 1d\")");
        }
        double count = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
        double seconds = Double.parseDouble(m.group(3)) * switch (m.group(4)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 1;
        };
        if (seconds <= 0 || count <= 0) {
            throw new ConfigException(at, "rate " + name + ": bad limit \"" + text + "\" (count and time must be positive)");
        }
        return new double[] {count, seconds};
    }

    /** A number with Rspamd's human suffixes ({@code 10k}, {@code 1m}, {@code 1g}). */
    private static double number(Position at, String name, String text) {
        Matcher m = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgKMG]?)\\s*$").matcher(text);
        if (!m.matches()) {
            throw new ConfigException(at, "rate " + name + ": expected a number, found \"" + text + "\"");
        }
        return Double.parseDouble(m.group(1)) * switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
    }
}
