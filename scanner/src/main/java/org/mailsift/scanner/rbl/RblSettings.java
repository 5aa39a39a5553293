package org.mailsift.scanner.rbl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.maps.MapOptions;
import org.mailsift.scanner.multimap.WatchedMap;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorException;

/**
 * {@code rbl.conf}, in Rspamd's syntax: module defaults ({@code default_*}), {@code rbls { NAME { ... } }} and
 * mailsift's per-message URL limits. When the configuration directory has no rbl.conf at all, the stock file
 * packaged with mailsift applies, so the checks are on by default as in Rspamd.
 *
 * @param enabled        {@code enabled} (the whole module)
 * @param lists          the enabled lists, in file order
 * @param maxUrlDomains  {@code max_url_domains}: distinct URL / e-mail domains looked up per message (URL_* symbols
 *                       say when more were found)
 * @param maxUrls        {@code max_urls}: URL candidates examined per message
 * @param blockedBackoff {@code blocked_backoff}: how long a list that refuses our resolver stays off
 */
public record RblSettings(boolean enabled, List<RblList> lists, int maxUrlDomains, int maxUrls, Duration blockedBackoff) {
    public static final String SECTION = "rbl";
    static final String STOCK_RESOURCE = "/org/mailsift/scanner/rbl/rbl.conf";
    public static final RblSettings DISABLED = new RblSettings(false, List.of(), 50, 2000, Duration.ofMinutes(10));
    private static final Set<String> HASHES = Set.of("sha1", "sha256", "sha384", "sha512", "md5", "blake2");
    private static final Set<String> HASH_FORMATS = Set.of("hex", "base32", "base64");

    private static final Set<String> MODULE_KEYS = Set.of("rbls", "rules", "enabled", "max_url_domains", "max_urls",
            "blocked_backoff", "url_whitelist", "local_exclude_ip_map", "default_enabled", "default_ipv4", "default_ipv6",
            "default_unknown", "default_dkim_domainonly", "default_emails_domainonly", "default_exclude_private_ips",
            "default_exclude_users", "default_exclude_local", "default_no_ip", "default_dkim_match_from",
            "default_selector_flatten");
    private static final Set<String> URL_CHECKS = Set.of("urls", "emails", "dkim", "replyto");
    private static final Set<String> LIST_KEYS = Set.of("symbol", "rbl", "checks", "from", "received", "helo", "rdns",
            "urls", "emails", "dkim", "replyto", "images", "content_urls", "ipv4", "ipv6", "exclude_users",
            "exclude_local", "exclude_private_ips", "is_whitelist", "whitelist_exception", "ignore_whitelist",
            "ignore_whitelists", "whitelist", "returncodes", "return_codes", "returnbits", "return_bits", "unknown",
            "symbols_prefixes", "emails_domainonly", "dkim_domainonly", "no_ip", "ignore_defaults", "ignore_default",
            "disabled", "enabled", "requests_limit", "received_min_pos", "received_max_pos", "hash", "hash_format",
            "hash_len", "emails_delimiter", "monitored_address", "disable_monitoring", "dkim_match_from",
            "url_full_hostname", "description", "selector", "resolve_ip", "received_flags", "received_nflags",
            "process_script", "url_compose_map", "require_symbols", "is_empty", "random_monitored", "selector_flatten",
            "exclude_checks", "local_exclude_ip_map");

    public static RblSettings from(ConfigSource config) {
        UclObject section = config.section(SECTION);
        if (section.keys().isEmpty()) {
            section = stock();
        }
        return from(section, config::warn, config.directory(), MapOptions.from(config));
    }

    /** The packaged stock rbl.conf (etc/rbl.conf of the distribution). */
    static UclObject stock() {
        try (InputStream in = RblSettings.class.getResourceAsStream(STOCK_RESOURCE)) {
            if (in == null) {
                return UclObject.empty(new org.mailsift.core.config.Position("rbl.conf", 1, 1));
            }
            return new UclParser(Map.of()).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "rbl.conf (stock)", null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static RblSettings from(UclObject raw, Consumer<String> warnings, Path configDir) {
        return from(raw, warnings, configDir, MapOptions.of(MapOptions.DEFAULT_WATCH_INTERVAL));
    }

    /** @param maps how whitelist maps are loaded and re-read (options.inc map_watch_interval, maps_cache_dir...) */
    public static RblSettings from(UclObject raw, Consumer<String> warnings, Path configDir, MapOptions maps) {
        UclObject s = raw.keys().size() == 1 && raw.has(SECTION) ? raw.getObject(SECTION).orElse(raw) : raw;
        s.warnUnknown(SECTION, MODULE_KEYS, warnings);
        if (!s.getBoolean("enabled", true)) {
            return DISABLED;
        }
        Map<String, Boolean> defaults = new LinkedHashMap<>();
        defaults.put("enabled", s.getBoolean("default_enabled", true));
        defaults.put("ipv4", s.getBoolean("default_ipv4", true));
        defaults.put("ipv6", s.getBoolean("default_ipv6", true));
        defaults.put("unknown", s.getBoolean("default_unknown", false));
        defaults.put("dkim_domainonly", s.getBoolean("default_dkim_domainonly", true));
        defaults.put("emails_domainonly", s.getBoolean("default_emails_domainonly", false));
        defaults.put("exclude_private_ips", s.getBoolean("default_exclude_private_ips", true));
        defaults.put("exclude_users", s.getBoolean("default_exclude_users", false));
        defaults.put("exclude_local", s.getBoolean("default_exclude_local", true));
        defaults.put("no_ip", s.getBoolean("default_no_ip", false));
        defaults.put("dkim_match_from", s.getBoolean("default_dkim_match_from", false));
        defaults.put("selector_flatten", s.getBoolean("default_selector_flatten", true));
        int maxDomains = (int) s.getLong("max_url_domains", 50);
        List<RblList> lists = new ArrayList<>();
        Maps whitelists = new Maps(configDir, warnings, maps, s.get("url_whitelist").orElse(null));
        for (String key : List.of("rbls", "rules")) {
            UclObject rbls = s.getObject(key).orElse(null);
            if (rbls == null) {
                continue;
            }
            for (String name : rbls.keys()) {
                UclValue v = rbls.get(name).orElseThrow();
                if (!(v instanceof UclObject list)) {
                    warnings.accept(v.position() + ": rbls " + name + " must be a section { ... } (ignored)");
                    continue;
                }
                RblList parsed = list(name, list, defaults, maxDomains, warnings, whitelists);
                if (parsed != null) {
                    lists.add(parsed);
                }
            }
        }
        return new RblSettings(true, lists, maxDomains, (int) s.getLong("max_urls", 2000),
                Duration.ofMillis(s.getMillis("blocked_backoff", 600_000)));
    }

    private static RblList list(String name, UclObject l, Map<String, Boolean> moduleDefaults, int maxDomains,
                                Consumer<String> warnings, Maps maps) {
        l.warnUnknown("rbls " + name, LIST_KEYS, warnings);
        boolean ignoreDefaults = l.getBoolean("ignore_defaults", l.getBoolean("ignore_default", false));
        Map<String, Boolean> d = ignoreDefaults ? Map.of() : moduleDefaults;
        if (l.getBoolean("disabled", false) || !l.getBoolean("enabled", d.getOrDefault("enabled", true))) {
            return null;
        }
        String zone = l.getString("rbl", null);
        if (zone == null || zone.isBlank()) {
            warnings.accept(l.position() + ": rbls " + name + " has no rbl (the DNS zone); list ignored");
            return null;
        }
        if (l.has("process_script")) {
            warnings.accept(l.position() + ": rbls " + name + " uses process_script (Lua), which mailsift cannot run; list ignored");
            return null;
        }
        if (l.has("url_compose_map")) {
            warnings.accept(l.get("url_compose_map").orElseThrow().position() + ": rbls " + name
                    + ": url_compose_map is not supported; registrable domains are looked up instead");
        }
        String hash = l.getString("hash", null);
        hash = hash == null ? null : hash.toLowerCase(Locale.ROOT);
        String hashFormat = l.getString("hash_format", "hex").toLowerCase(Locale.ROOT);
        if (hash != null && !HASHES.contains(hash) || !HASH_FORMATS.contains(hashFormat)) {
            warnings.accept(l.position() + ": rbls " + name + ": hash must be one of " + new java.util.TreeSet<>(HASHES)
                    + " and hash_format one of " + new java.util.TreeSet<>(HASH_FORMATS) + "; list ignored");
            return null;
        }
        List<RblList.SelectorCheck> selectors = selectors(name, l, d, warnings);
        if (selectors == null) {
            return null;
        }
        Set<RblList.Check> checks = EnumSet.noneOf(RblList.Check.class);
        if (l.has("checks")) {
            for (String c : l.getStringList("checks")) {
                RblList.Check check = check(c);
                if (check == null) {
                    warnings.accept(l.get("checks").orElseThrow().position() + ": rbls " + name + ": unknown check '" + c + "' (ignored)");
                } else {
                    checks.add(check);
                }
            }
        }
        for (RblList.Check c : RblList.Check.values()) {
            if (l.has(c.key()) && c != RblList.Check.SELECTOR) { // selector = "..." is the selector itself
                if (l.getBoolean(c.key(), false)) {
                    checks.add(c);
                } else {
                    checks.remove(c);
                }
            }
        }
        if (!selectors.isEmpty()) {
            checks.add(RblList.Check.SELECTOR); // selector = "..." is a check of its own, as in Rspamd
        }
        for (String c : l.getStringList("exclude_checks")) {
            RblList.Check check = check(c);
            if (check != null) {
                checks.remove(check);
            }
        }
        if (!l.has("checks") && Set.of(RblList.Check.values()).stream().noneMatch(c -> l.has(c.key()))) {
            checks.add(RblList.Check.FROM); // Rspamd's default: the sending IP
        }
        if (checks.contains(RblList.Check.SELECTOR) && selectors.isEmpty()) {
            warnings.accept(l.position() + ": rbls " + name + " has the check selector but no selector; list ignored");
            return null;
        }
        Map<String, List<Pattern>> codes = new LinkedHashMap<>();
        UclObject rc = l.getObject("returncodes").or(() -> l.getObject("return_codes")).orElse(null);
        if (rc != null) {
            for (String sym : rc.keys()) {
                List<Pattern> patterns = new ArrayList<>();
                for (String p : rc.getStringList(sym)) {
                    try {
                        patterns.add(LuaPattern.compile(p));
                    } catch (PatternSyntaxException e) {
                        warnings.accept(rc.position() + ": rbls " + name + ": bad return code pattern '" + p + "' (ignored)");
                    }
                }
                codes.put(sym, patterns);
            }
        }
        Map<String, List<Long>> bits = new LinkedHashMap<>();
        UclObject rb = l.getObject("returnbits").or(() -> l.getObject("return_bits")).orElse(null);
        if (rb != null) {
            for (String sym : rb.keys()) {
                List<Long> b = new ArrayList<>();
                for (UclValue v : rb.getList(sym)) {
                    if (v instanceof UclScalar sc) {
                        b.add(sc.asLong());
                    }
                }
                bits.put(sym, b);
            }
        }
        Map<RblList.Check, String> prefixes = new LinkedHashMap<>();
        l.getObject("symbols_prefixes").ifPresent(p -> {
            for (String k : p.keys()) {
                RblList.Check c = check(k);
                if (c != null) {
                    prefixes.put(c, p.getString(k, k.toUpperCase(Locale.ROOT)));
                }
            }
        });
        Set<String> exceptions = new LinkedHashSet<>(l.getStringList("whitelist_exception"));
        Integer minPos = l.has("received_min_pos") ? (int) l.getLong("received_min_pos", 0) : null;
        Integer maxPos = l.has("received_max_pos") ? (int) l.getLong("received_max_pos", 0) : null;
        return new RblList(name, l.getString("symbol", name.toUpperCase(Locale.ROOT)), zone.strip().toLowerCase(Locale.ROOT),
                // in the order of RblList.Check, not Set.copyOf's (which changes from one JVM start to the next):
                // the order of a request's checks is the order of its symbol's options
                java.util.Collections.unmodifiableSet(EnumSet.copyOf(checks)), l.getBoolean("ipv4", d.getOrDefault("ipv4", true)),
                l.getBoolean("ipv6", d.getOrDefault("ipv6", true)),
                l.getBoolean("exclude_users", d.getOrDefault("exclude_users", false)),
                l.getBoolean("exclude_local", d.getOrDefault("exclude_local", true)),
                l.getBoolean("exclude_private_ips", d.getOrDefault("exclude_private_ips", true)),
                l.getBoolean("is_whitelist", false), Set.copyOf(exceptions),
                l.getBoolean("ignore_whitelist", l.getBoolean("ignore_whitelists", false)),
                maps.whitelist(l, name, checks), codes, bits,
                l.getBoolean("unknown", d.getOrDefault("unknown", false)), prefixes,
                l.getBoolean("emails_domainonly", d.getOrDefault("emails_domainonly", false)),
                l.getBoolean("dkim_domainonly", d.getOrDefault("dkim_domainonly", true)),
                l.getBoolean("no_ip", d.getOrDefault("no_ip", false)),
                (int) Math.max(1, l.getLong("requests_limit", maxDomains)), minPos, maxPos,
                hash, l.getString("emails_delimiter", null), hashFormat, (int) Math.max(0, l.getLong("hash_len", 0)),
                l.getBoolean("dkim_match_from", d.getOrDefault("dkim_match_from", false)),
                l.getBoolean("url_full_hostname", false), l.getBoolean("resolve_ip", false), selectors);
    }

    private static RblList.Check check(String key) {
        for (RblList.Check c : RblList.Check.values()) {
            if (c.key().equalsIgnoreCase(key.strip())) {
                return c;
            }
        }
        return null;
    }

    /** {@code selector}: one selector, or {@code selector { label = "..."; }}; null when one does not parse. */
    private static List<RblList.SelectorCheck> selectors(String name, UclObject l, Map<String, Boolean> d,
                                                         Consumer<String> warnings) {
        if (!l.has("selector")) {
            return List.of();
        }
        boolean flatten = l.getBoolean("selector_flatten", d.getOrDefault("selector_flatten", true));
        UclValue v = l.get("selector").orElseThrow();
        List<UclValue> items = new ArrayList<>();
        if (v instanceof UclObject o) {
            for (String k : o.keys()) {
                items.add(o.get(k).orElseThrow());
            }
        } else {
            items.addAll(l.getList("selector"));
        }
        List<RblList.SelectorCheck> out = new ArrayList<>();
        for (UclValue item : items) {
            if (!(item instanceof UclScalar sc) || sc.isNull()) {
                warnings.accept(item.position() + ": rbls " + name + ": a selector must be a string; list ignored");
                return null;
            }
            try {
                out.add(new RblList.SelectorCheck(Selector.parse(sc.asString()), flatten));
            } catch (SelectorException e) {
                warnings.accept(item.position() + ": rbls " + name + ": invalid selector: " + e.getMessage() + "; list ignored");
                return null;
            }
        }
        return out;
    }

    /**
     * The maps of one rbl.conf: each list's {@code whitelist}, and the module's {@code url_whitelist}, which Rspamd
     * gives every list checking URLs, e-mails, DKIM or Reply-To domains (and not IPs) that has no whitelist of its own.
     */
    private static final class Maps {
        private final Path configDir;
        private final Consumer<String> warnings;
        private final MapOptions options;
        private final UclValue urlWhitelistValue;
        private Whitelist urlWhitelist;

        Maps(Path configDir, Consumer<String> warnings, MapOptions options, UclValue urlWhitelist) {
            this.configDir = configDir;
            this.warnings = warnings;
            this.options = options;
            this.urlWhitelistValue = urlWhitelist;
        }

        Whitelist whitelist(UclObject l, String name, Set<RblList.Check> checks) {
            boolean ips = checks.contains(RblList.Check.FROM) || checks.contains(RblList.Check.RECEIVED);
            if (l.has("whitelist")) {
                return open(l.get("whitelist").orElseThrow(), ips, "rbls " + name + " whitelist");
            }
            boolean names = checks.stream().anyMatch(c -> URL_CHECKS.contains(c.key()));
            if (urlWhitelistValue == null || ips || !names) {
                return Whitelist.EMPTY;
            }
            if (urlWhitelist == null) {
                urlWhitelist = open(urlWhitelistValue, false, "rbl url_whitelist");
            }
            return urlWhitelist;
        }

        private Whitelist open(UclValue value, boolean networks, String where) {
            WatchedMap m = WatchedMap.open(value, networks, configDir, where, warnings, options);
            return m == null ? Whitelist.EMPTY : new Whitelist(m);
        }
    }

    /** Rspamd's return codes are Lua patterns ("127.0.%d+.1"); this turns one into an anchored regex. */
    static final class LuaPattern {
        private LuaPattern() {
        }

        static Pattern compile(String lua) {
            StringBuilder re = new StringBuilder("^");
            String p = lua.startsWith("^") ? lua.substring(1) : lua;
            if (p.endsWith("$")) {
                p = p.substring(0, p.length() - 1);
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '%' && i + 1 < p.length()) {
                    char k = p.charAt(++i);
                    re.append(switch (k) {
                        case 'd' -> "\\d";
                        case 'a' -> "\\p{Alpha}";
                        case 'w' -> "\\w";
                        case 's' -> "\\s";
                        case 'x' -> "[0-9a-fA-F]";
                        default -> Pattern.quote(String.valueOf(k));
                    });
                } else if (c == '-') {
                    re.append("*?");
                } else if (c == '.' || c == '+' || c == '*' || c == '?' || c == '[' || c == ']') {
                    re.append(c);
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.append('$').toString());
        }
    }


}
