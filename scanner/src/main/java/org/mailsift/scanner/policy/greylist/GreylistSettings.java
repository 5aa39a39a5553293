package org.mailsift.scanner.policy.greylist;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.maps.LiveList;
import org.mailsift.scanner.policy.PolicyMaps;
import org.mailsift.scanner.policy.RedisTarget;
import org.mailsift.scanner.settings.CidrSet;

/**
 * {@code greylist.conf}, Rspamd's greylist module with its option names and defaults.
 *
 * @param expire            how long records live, extended on every pass ({@code expire = 1d})
 * @param timeout           how long a new sender waits ({@code timeout = 5min})
 * @param maxDataLen        bytes of the body that go into the body hash ({@code max_data_len = 10k}, 10240)
 * @param action            the action of a greylisted message ({@code action = "soft reject"})
 * @param greylistMinScore  {@code greylist_min_score}: below it nothing is greylisted; null = the greylist threshold
 * @param whitelistedIp     {@code whitelisted_ip}: clients never greylisted (a map: files and HTTP maps followed)
 * @param whitelistDomains  {@code whitelist_domains_url}: client host names (or their registrable domains) that pass
 * @param redis             {@code servers} (here or in redis.conf), or empty for the embedded store
 */
public record GreylistSettings(boolean enabled, Duration expire, Duration timeout, String keyPrefix, int maxDataLen,
                               String message, String symbol, Action action, List<String> whitelistSymbols,
                               int ipv4Mask, int ipv6Mask, boolean reportTime, boolean checkLocal, boolean checkAuthed,
                               Double greylistMinScore, LiveList<CidrSet> whitelistedIp,
                               LiveList<Set<String>> whitelistDomains, Optional<RedisTarget> redis) {
    public static final String SECTION = "greylist";
    private static final Set<String> KNOWN = Set.of("enabled", "expire", "timeout", "key_prefix", "max_data_len",
            "message", "symbol", "action", "whitelist_symbols", "ipv4_mask", "ipv6_mask", "report_time", "check_local",
            "check_authed", "greylist_min_score", "whitelisted_ip", "whitelist_domains_url", "redis_timeout",
            "servers", "read_servers", "write_servers", "password", "db", "dbname", "redis");

    public static GreylistSettings from(ConfigSource config) {
        UclObject section = config.section(SECTION);
        // greylist { ... } inside greylist.conf, as Rspamd's stock file
        UclObject s = section.keys().size() == 1 && section.has(SECTION) ? section.getObject(SECTION).orElse(section) : section;
        s.warnUnknown(SECTION, KNOWN, config::warn);
        if (s.has("message_func")) {
            config.warn(s.get("message_func").orElseThrow().position() + ": message_func (Lua) is not supported (ignored)");
        }
        Duration timeout = seconds(s, "timeout", 300);
        Duration expire = seconds(s, "expire", 86400);
        String actionName = s.getString("action", "soft reject");
        Action action = Action.fromName(actionName).orElseThrow(() -> new ConfigException(
                s.get("action").orElseThrow().position(), "unknown action \"" + actionName + "\""));
        int v4 = mask(s, "ipv4_mask", 19, 32);
        int v6 = mask(s, "ipv6_mask", 64, 128);
        long maxData = s.getLong("max_data_len", 10240);
        if (maxData < 0) {
            throw new ConfigException(s.get("max_data_len").orElseThrow().position(), "max_data_len must not be negative");
        }
        Double minScore = s.getScalar("greylist_min_score").filter(v -> !v.isNull()).map(UclScalar::asDouble).orElse(null);
        LiveList<CidrSet> ips = PolicyMaps.live(config, s, SECTION, "whitelisted_ip", List.of(), CidrSet::parse);
        LiveList<Set<String>> domains = PolicyMaps.live(config, s, SECTION, "whitelist_domains_url", List.of(),
                (entries, warnings) -> {
                    Set<String> out = new HashSet<>();
                    entries.forEach(d -> out.add(d.toLowerCase(Locale.ROOT)));
                    return Set.copyOf(out);
                });
        return new GreylistSettings(s.getBoolean("enabled", true), expire, timeout, s.getString("key_prefix", "rg"),
                (int) Math.min(maxData, Integer.MAX_VALUE), s.getString("message", "Try again later"),
                s.getString("symbol", "GREYLIST"), action, s.getStringList("whitelist_symbols"), v4, v6,
                s.getBoolean("report_time", false), s.getBoolean("check_local", false),
                s.getBoolean("check_authed", false), minScore, ips, domains,
                RedisTarget.of(SECTION, redisOnly(s), config.section("redis"), Duration.ofSeconds(1)));
    }

    /** Follows the whitelists' map files and HTTP maps every {@code interval} until {@link #close()}. */
    public void watch(Duration interval) {
        whitelistedIp.watch(interval);
        whitelistDomains.watch(interval);
    }

    /** Stops following the whitelists' maps (the engine using them was replaced). */
    public void close() {
        whitelistedIp.close();
        whitelistDomains.close();
    }

    /** The module section without {@code timeout}, which is the greylisting period here, not Redis's. */
    private static UclObject redisOnly(UclObject s) {
        java.util.Map<String, List<org.mailsift.core.config.UclValue>> m = new java.util.LinkedHashMap<>(s.entries());
        m.remove("timeout");
        return new UclObject(m, s.position());
    }

    private static Duration seconds(UclObject s, String key, long dflt) {
        long ms = s.getMillis(key, dflt * 1000);
        if (ms <= 0) {
            throw new ConfigException(s.get(key).orElseThrow().position(), key + " must be positive");
        }
        return Duration.ofMillis(ms);
    }

    private static int mask(UclObject s, String key, int dflt, int max) {
        long m = s.getLong(key, dflt);
        if (m < 0 || m > max) {
            throw new ConfigException(s.get(key).orElseThrow().position(), key + " must be 0.." + max);
        }
        return (int) m;
    }
}
