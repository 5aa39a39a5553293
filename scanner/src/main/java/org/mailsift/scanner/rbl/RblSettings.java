package org.mailsift.scanner.rbl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
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
import org.mailsift.scanner.settings.CidrSet;

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

    private static final Set<String> MODULE_KEYS = Set.of("rbls", "rules", "enabled", "max_url_domains", "max_urls",
            "blocked_backoff", "url_whitelist", "local_exclude_ip_map", "default_enabled", "default_ipv4", "default_ipv6",
            "default_unknown", "default_dkim_domainonly", "default_emails_domainonly", "default_exclude_private_ips",
            "default_exclude_users", "default_exclude_local", "default_no_ip", "default_dkim_match_from",
            "default_selector_flatten");
    private static final Set<String> LIST_KEYS = Set.of("symbol", "rbl", "checks", "from", "received", "helo", "rdns",
            "urls", "emails", "dkim", "replyto", "images", "content_urls", "ipv4", "ipv6", "exclude_users",
            "exclude_local", "exclude_private_ips", "is_whitelist", "whitelist_exception", "ignore_whitelist",
            "ignore_whitelists", "whitelist", "returncodes", "return_codes", "returnbits", "return_bits", "unknown",
            "symbols_prefixes", "emails_domainonly", "dkim_domainonly", "no_ip", "ignore_defaults", "ignore_default",
            "disabled", "enabled", "requests_limit", "received_min_pos", "received_max_pos", "hash", "hash_format",
            "hash_len", "emails_delimiter", "monitored_address", "disable_monitoring", "dkim_match_from",
            "url_full_hostname", "description", "selector", "resolve_ip", "received_flags", "received_nflags",
            "process_script", "url_compose_map", "require_symbols", "is_empty", "random_monitored", "selector_flatten");

    public static RblSettings from(ConfigSource config) {
        UclObject section = config.section(SECTION);
        if (section.keys().isEmpty()) {
            section = stock();
        }
        return from(section, config::warn, config.directory());
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
        int maxDomains = (int) s.getLong("max_url_domains", 50);
        List<RblList> lists = new ArrayList<>();
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
                RblList parsed = list(name, list, defaults, maxDomains, warnings, configDir);
                if (parsed != null) {
                    lists.add(parsed);
                }
            }
        }
        return new RblSettings(true, lists, maxDomains, (int) s.getLong("max_urls", 2000),
                Duration.ofMillis(s.getMillis("blocked_backoff", 600_000)));
    }

    private static RblList list(String name, UclObject l, Map<String, Boolean> moduleDefaults, int maxDomains,
                                Consumer<String> warnings, Path configDir) {
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
        if (l.has("selector") || l.has("process_script") || l.has("url_compose_map") || l.has("resolve_ip")
                && l.getBoolean("resolve_ip", false)) {
            warnings.accept(l.position() + ": rbls " + name + " uses selector / process_script / url_compose_map / "
                    + "resolve_ip, which mailsift does not support; list ignored");
            return null;
        }
        String hash = l.getString("hash", null);
        if (hash != null && !Set.of("sha1", "sha256", "sha512", "md5").contains(hash.toLowerCase(Locale.ROOT))
                || l.has("hash_format") && !"hex".equals(l.getString("hash_format", "hex"))) {
            // Rspamd's own lists hash with blake2 + its base32; not supported here
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
            if (l.has(c.key())) {
                if (l.getBoolean(c.key(), false)) {
                    checks.add(c);
                } else {
                    checks.remove(c);
                }
            }
        }
        if (!l.has("checks") && Set.of(RblList.Check.values()).stream().noneMatch(c -> l.has(c.key()))) {
            checks.add(RblList.Check.FROM); // Rspamd's default: the sending IP
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
                Set.copyOf(checks), l.getBoolean("ipv4", d.getOrDefault("ipv4", true)),
                l.getBoolean("ipv6", d.getOrDefault("ipv6", true)),
                l.getBoolean("exclude_users", d.getOrDefault("exclude_users", false)),
                l.getBoolean("exclude_local", d.getOrDefault("exclude_local", true)),
                l.getBoolean("exclude_private_ips", d.getOrDefault("exclude_private_ips", true)),
                l.getBoolean("is_whitelist", false), Set.copyOf(exceptions),
                l.getBoolean("ignore_whitelist", l.getBoolean("ignore_whitelists", false)),
                whitelist(l, name, warnings, configDir), codes, bits,
                l.getBoolean("unknown", d.getOrDefault("unknown", false)), prefixes,
                l.getBoolean("emails_domainonly", d.getOrDefault("emails_domainonly", false)),
                l.getBoolean("dkim_domainonly", d.getOrDefault("dkim_domainonly", true)),
                l.getBoolean("no_ip", d.getOrDefault("no_ip", false)),
                (int) Math.max(1, l.getLong("requests_limit", maxDomains)), minPos, maxPos,
                hash == null ? null : hash.toLowerCase(Locale.ROOT), l.getString("emails_delimiter", null));
    }

    private static RblList.Check check(String key) {
        for (RblList.Check c : RblList.Check.values()) {
            if (c.key().equalsIgnoreCase(key.strip())) {
                return c;
            }
        }
        return null;
    }

    /** {@code whitelist}: entries inline, or file paths / file:// URLs of map files (one entry per line, # comments). */
    private static Whitelist whitelist(UclObject l, String name, Consumer<String> warnings, Path configDir) {
        if (!l.has("whitelist")) {
            return Whitelist.EMPTY;
        }
        List<String> entries = new ArrayList<>();
        for (String item : l.getStringList("whitelist")) {
            String v = item.strip();
            String path = v.startsWith("file://") ? v.substring(7) : v.startsWith("/") || v.startsWith("$") ? v : null;
            if (path != null) {
                path = path.replace("$CONFDIR", configDir == null ? "." : configDir.toString())
                        .replace("$LOCAL_CONFDIR", configDir == null ? "." : configDir.toString());
                try {
                    for (String line : Files.readAllLines(Path.of(path))) {
                        String e = line.replaceFirst("#.*", "").strip();
                        if (!e.isEmpty()) {
                            entries.add(e.split("\\s+")[0]);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    warnings.accept(l.get("whitelist").orElseThrow().position() + ": rbls " + name
                            + ": cannot read whitelist " + path + " (" + e.getMessage() + ")");
                }
            } else if (v.startsWith("http://") || v.startsWith("https://")) {
                warnings.accept(l.get("whitelist").orElseThrow().position() + ": rbls " + name
                        + ": remote maps are not fetched; use a local file (" + v + " ignored)");
            } else {
                entries.add(v);
            }
        }
        List<String> nets = new ArrayList<>();
        Set<String> domains = new HashSet<>();
        for (String e : entries) {
            if (e.indexOf(':') >= 0 || e.indexOf('/') >= 0 || e.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                nets.add(e);
            } else {
                domains.add(e.toLowerCase(Locale.ROOT));
            }
        }
        return new Whitelist(CidrSet.parse(nets, w -> warnings.accept("rbls " + name + " whitelist: " + w)), Set.copyOf(domains));
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
