package org.mailsift.scanner.multimap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.expression.AtomParser;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.expression.ExpressionException;
import org.mailsift.scanner.maps.HttpMap;
import org.mailsift.scanner.maps.MapOptions;
import org.mailsift.scanner.policy.RedisTarget;
import org.mailsift.scanner.rules.Prefilter;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.selectors.ReceivedHeader;
import org.mailsift.scanner.selectors.Selector;

/**
 * Rspamd's multimap module ({@code multimap.conf}; Rspamd ships it empty): each section {@code NAME { type = ...;
 * map = ...; }} is a rule matching one part of the message against a map. Map files are watched
 * ({@code options.inc map_watch_interval}, 5 min as in Rspamd) and reloaded without a restart; {@link #close()} stops
 * watching (the engine closes it when a reload replaces it).
 *
 * <p>A malformed rule (unknown type or filter, bad regexp in the rule, no map) is a configuration error naming file
 * and line, as configtest reports it; a feature mailsift does not have (types asn / country / mempool /
 * regexp_rules, redis+selector maps) is a warning and the rule is left out. {@code redis://KEY} maps ask Redis
 * at each lookup ({@link RedisHashMap}); {@code http(s)://} maps go through the shared {@code maps.HttpMap}.
 */
public final class MultimapModule implements AutoCloseable {
    public static final String SECTION = "multimap";

    private static final Set<String> RULE_KEYS = Set.of("type", "map", "url", "symbol", "score", "description", "group",
            "regexp", "glob", "multi", "filter", "header", "extract_from", "prefilter", "action", "message", "symbols",
            "disable_multisymbol", "dynamic_symbols", "min_pos", "max_pos", "flags", "nflags", "artificial",
            "skip_archives", "skip_detected", "selector", "delimiter", "combinator", "rules", "expression",
            "require_symbols", "one_shot", "enabled", "priority", "message_func", "target_symbol");

    /** Top-level keys of multimap.conf that say where redis:// maps live (Rspamd reads them the same way). */
    private static final Set<String> REDIS_KEYS = Set.of("redis", "servers", "read_servers", "write_servers",
            "password", "db", "dbname", "timeout");

    private final List<MultimapRule> rules;
    private final List<DnsblRule> dnsblRules;

    private MultimapModule(List<MultimapRule> rules, List<DnsblRule> dnsblRules) {
        this.rules = List.copyOf(rules);
        this.dnsblRules = List.copyOf(dnsblRules);
    }

    /** The rules of the configuration's multimap.conf (none when it has none), their map files watched. */
    public static MultimapModule from(ConfigSource config) {
        UclObject section = config.section(SECTION);
        UclObject s = section.keys().size() == 1 && section.has(SECTION) ? section.getObject(SECTION).orElse(section) : section;
        RedisTarget redis = RedisTarget.of(SECTION, s, config.section("redis"), Duration.ofSeconds(1)).orElse(null);
        return from(section, config.directory(), config::warn, MapOptions.from(config), Clock.systemUTC(), redis);
    }

    static MultimapModule from(UclObject section, Path configDir, Consumer<String> warnings, Duration interval,
                               Clock clock) {
        return from(section, configDir, warnings, MapOptions.of(interval), clock, null);
    }

    /** @param redis where {@code redis://} maps are looked up (multimap.conf's servers or redis.conf), or null */
    static MultimapModule from(UclObject section, Path configDir, Consumer<String> warnings, MapOptions maps,
                               Clock clock, RedisTarget redis) {
        RedisHashMap.Shared sharedRedis = redis == null ? null : new RedisHashMap.Shared(redis);
        UclObject s = section.keys().size() == 1 && section.has(SECTION) ? section.getObject(SECTION).orElse(section) : section;
        Duration interval = maps.watchInterval();
        List<MultimapRule> rules = new ArrayList<>();
        List<DnsblRule> dnsbl = new ArrayList<>();
        try {
            for (String name : s.keys()) {
                UclValue v = s.get(name).orElseThrow();
                if (REDIS_KEYS.contains(name) && !(v instanceof UclObject o && o.has("type"))) {
                    continue; // where redis:// maps are looked up, not a rule
                }
                if (!(v instanceof UclObject rule)) {
                    warnings.accept(v.position() + ": multimap: '" + name + "' is not a rule section { ... } (ignored)");
                    continue;
                }
                if ("dnsbl".equals(rule.getString("type", null))) {
                    if (rule.getBoolean("enabled", true)) {
                        dnsbl.add(dnsblRule(name, rule, warnings));
                    }
                    continue;
                }
                MultimapRule r = rule(name, rule, configDir, warnings, clock, maps, sharedRedis);
                if (r != null) {
                    rules.add(r);
                    r.watch(interval);
                }
            }
        } catch (RuntimeException e) {
            rules.forEach(MultimapRule::close);
            throw e;
        }
        return new MultimapModule(rules, dnsbl);
    }

    /** {@code type = "dnsbl"; map = "zone"}: the client's address looked up in that DNS list (see DnsblRule). */
    private static DnsblRule dnsblRule(String name, UclObject r, Consumer<String> warnings) {
        String where = "multimap rule " + name;
        r.warnUnknown(where, RULE_KEYS, warnings);
        String zone = r.getString("map", null);
        if (zone == null || zone.isBlank() || zone.contains("/")) {
            throw new ConfigException(r.get("map").map(UclValue::position).orElse(r.position()),
                    where + ": a dnsbl rule needs map = \"zone\" (the DNS list's zone)");
        }
        String symbol = r.getString("symbol", name);
        Action action = action(r, where);
        SymbolDefinition def = new SymbolDefinition(symbol, r.getString("group", SECTION), r.getDouble("score", 0.0),
                r.getString("description", "multimap, type dnsbl: " + symbol));
        return new DnsblRule(symbol, zone, List.of(def), action, r.getString("message", null));
    }

    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>(rules);
        out.addAll(dnsblRules);
        return out;
    }

    List<MultimapRule> multimapRules() {
        return rules;
    }

    /** Stops watching this module's map files (scans still running keep the entries they use). */
    @Override
    public void close() {
        rules.forEach(MultimapRule::close);
    }

    private static MultimapRule rule(String name, UclObject r, Path configDir, Consumer<String> warnings, Clock clock,
                                     MapOptions maps, RedisHashMap.Shared redis) {
        String where = "multimap rule " + name;
        r.warnUnknown(where, RULE_KEYS, warnings);
        if (!r.getBoolean("enabled", true)) {
            return null;
        }
        String typeName = r.getString("type", null);
        if (typeName == null) {
            throw new ConfigException(r.position(), where + " has no type");
        }
        MultimapType type = MultimapType.of(typeName);
        Position typePos = r.get("type").orElseThrow().position();
        if (type == null) {
            if (Set.of("asn", "country", "mempool", "regexp_rules").contains(typeName)) {
                warnings.accept(typePos + ": " + where + ": type '" + typeName + "' is not supported by mailsift; rule left out");
                return null;
            }
            throw new ConfigException(typePos, where + ": unknown type '" + typeName + "' (ip, received, header, rcpt, "
                    + "from, helo, hostname, url, user, filename, content, selector, combined, symbol_options)");
        }
        String symbol = r.getString("symbol", name);
        Selector selector = null;
        if (type == MultimapType.SELECTOR) {
            selector = selector(r, "selector", where);
        }
        String targetSymbol = null;
        if (type == MultimapType.SYMBOL_OPTIONS) {
            targetSymbol = r.getString("target_symbol", null);
            if (targetSymbol == null || targetSymbol.isBlank()) {
                throw new ConfigException(typePos, where + ": type symbol_options needs target_symbol = \"SYMBOL\"");
            }
            if (r.getBoolean("prefilter", false)) {
                throw new ConfigException(r.get("prefilter").orElseThrow().position(), where
                        + ": a symbol_options rule reads other symbols' results and cannot be a prefilter");
            }
        }
        MultimapRule.Combined combined = null;
        if (type == MultimapType.COMBINED) {
            combined = combined(r, where, configDir, warnings, clock, maps);
        }
        UclValue mapValue = r.get("map").or(() -> r.get("url")).orElse(null);
        if (mapValue == null && combined == null) {
            throw new ConfigException(r.position(), where + " has no map");
        }
        List<String> headers = r.has("header") ? r.getStringList("header") : List.of();
        if (type == MultimapType.HEADER && headers.isEmpty()) {
            throw new ConfigException(r.position(), where + ": type header needs header = \"Name\"");
        }
        String filterName = r.getString("filter", null);
        ValueFilter filter = ValueFilter.NONE;
        if (filterName != null && type != MultimapType.CONTENT && type != MultimapType.RECEIVED) {
            try {
                filter = ValueFilter.of(type, filterName);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.get("filter").orElseThrow().position(), where + ": " + e.getMessage());
            }
        }
        if (type == MultimapType.CONTENT && filterName != null
                && !Set.of("body", "full", "headers", "text", "rawtext", "oneline").contains(filterName)) {
            throw new ConfigException(r.get("filter").orElseThrow().position(), where + ": unknown content filter '"
                    + filterName + "' (body, full, headers, text, rawtext, oneline)");
        }
        if (type == MultimapType.RECEIVED && filterName != null
                && !ReceivedHeader.knownField(filterName.startsWith("tld:") ? filterName.substring(4) : filterName)) {
            throw new ConfigException(r.get("filter").orElseThrow().position(), where + ": unknown received filter '"
                    + filterName + "' (real_ip, from_ip, from_hostname, real_hostname, by_hostname, tld:...)");
        }
        if (type == MultimapType.RECEIVED && (r.has("flags") || r.has("nflags"))) {
            warnings.accept(r.position() + ": " + where + ": received flags / nflags are not supported (ignored)");
        }
        for (String k : List.of("require_symbols", "message_func", "dynamic_symbols")) {
            if (r.has(k)) {
                warnings.accept(r.get(k).orElseThrow().position() + ": " + where + ": '" + k + "' is not supported (ignored)");
            }
        }
        Action action = action(r, where);
        String extractFrom = r.getString("extract_from", "default").strip().toLowerCase(Locale.ROOT);
        if (!Set.of("default", "smtp", "mime", "both").contains(extractFrom)) {
            throw new ConfigException(r.get("extract_from").orElseThrow().position(), where
                    + ": extract_from must be smtp, mime or both");
        }
        MapData.Kind kind = kind(type, filterName, r);
        boolean multi = r.getBoolean("multi", false);
        String mapText = mapValue == null ? null : mapValue instanceof UclScalar sc ? sc.asString()
                : mapValue instanceof UclArray arr && !arr.items().isEmpty() && arr.items().get(0) instanceof UclScalar first
                ? first.asString() : null;
        if (mapText != null && kind != MapData.Kind.RADIX) {
            String m = mapText.strip();
            if (m.startsWith("regexp;") || m.startsWith("re;") || m.startsWith("regexp_multi;") || m.startsWith("re_multi;")) {
                kind = MapData.Kind.REGEXP;
                multi |= m.startsWith("regexp_multi;") || m.startsWith("re_multi;");
            } else if (m.startsWith("glob;") || m.startsWith("glob_multi;")) {
                kind = MapData.Kind.GLOB;
                multi |= m.startsWith("glob_multi;");
            }
        }
        if (mapText != null && mapText.startsWith("redis+selector://")) {
            warnings.accept(mapValue.position() + ": " + where + ": redis+selector maps are not supported; rule left out");
            return null;
        }
        if (mapText != null && mapText.startsWith("redis://") && redis == null) {
            warnings.accept(mapValue.position() + ": " + where + ": no redis servers are specified (multimap.conf "
                    + "servers or redis.conf), cannot add redis map " + mapText + "; rule left out");
            return null;
        }
        LiveMap map;
        if (mapText != null && mapText.startsWith("redis://")) {
            String key = mapText.substring("redis://".length()).strip();
            if (key.isEmpty()) {
                throw new ConfigException(mapValue.position(), where + ": redis:// needs a hash key (redis://KEY)");
            }
            map = new LiveMap(symbol, new RedisHashMap(key, redis));
        } else if (combined != null) {
            map = combined.elements().values().iterator().next().map();
        } else {
            List<MapSource> sources = sources(mapValue, kind, configDir, where, warnings, maps, clock);
            if (sources == null) {
                return null;
            }
            map = new LiveMap(symbol, kind, multi, sources, clock, maps.settle(), warnings);
        }
        double score = r.getDouble("score", 0.0);
        String group = r.getString("group", SECTION);
        String description = r.getString("description", "multimap, type " + type.key() + ": " + symbol);
        List<String> symbols = r.has("symbols") ? r.getStringList("symbols") : List.of();
        Map<String, SymbolDefinition> defs = new LinkedHashMap<>();
        defs.put(symbol, new SymbolDefinition(symbol, group, score, description));
        for (String extra : symbols) {
            defs.putIfAbsent(extra, new SymbolDefinition(extra, group, score, description));
        }
        Integer minPos = r.has("min_pos") ? (int) r.getLong("min_pos", 0) : null;
        Integer maxPos = r.has("max_pos") ? (int) r.getLong("max_pos", 0) : null;
        boolean prefilter = r.getBoolean("prefilter", false);
        MultimapRule.Spec spec = new MultimapRule.Spec(symbol, type, filter, filterName, headers, extractFrom, symbols,
                r.getBoolean("disable_multisymbol", false), action, r.getString("message", null), prefilter, minPos,
                maxPos, List.copyOf(defs.values()), selector, r.getString("delimiter", ""), combined, targetSymbol);
        return prefilter ? new PrefilterRule(spec, map)
                : type == MultimapType.SYMBOL_OPTIONS ? new SymbolOptionsRule(spec, map) : new MultimapRule(spec, map);
    }

    /** {@code action}: forced on a hit ({@code accept} is no action), or null. */
    private static Action action(UclObject r, String where) {
        if (!r.has("action")) {
            return null;
        }
        String a = r.getString("action", "");
        return "accept".equalsIgnoreCase(a.strip()) ? Action.NO_ACTION : Action.fromName(a).orElseThrow(() ->
                new ConfigException(r.get("action").orElseThrow().position(), where + ": unknown action '" + a
                        + "' (reject, soft reject, add header, rewrite subject, greylist, accept)"));
    }

    private static Selector selector(UclObject r, String key, String where) {
        String text = r.getString(key, null);
        if (text == null || text.isBlank()) {
            throw new ConfigException(r.position(), where + ": needs " + key + " = \"...\"");
        }
        try {
            return Selector.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.get(key).orElseThrow().position(), where + ": " + e.getMessage());
        }
    }

    /**
     * {@code type = "combined"}: {@code rules { NAME { selector = "..."; map = ...; type = "radix" | "hash" | "set" |
     * "regexp" | "glob"; } }} and {@code expression} over the names; without {@code type} the kind follows the name
     * as in Rspamd (ip / ipnet: radix, regexp / re_ / glob: regexp, else set).
     */
    private static MultimapRule.Combined combined(UclObject r, String where, Path configDir, Consumer<String> warnings,
                                                  Clock clock, MapOptions maps) {
        UclObject elements = r.getObject("rules").orElseThrow(() ->
                new ConfigException(r.position(), where + ": a combined rule needs rules { NAME { selector; map; } }"));
        String expressionText = r.getString("expression", null);
        if (expressionText == null) {
            throw new ConfigException(r.position(), where + ": a combined rule needs expression = \"...\"");
        }
        Map<String, MultimapRule.Element> out = new LinkedHashMap<>();
        for (String name : elements.keys()) {
            UclValue v = elements.get(name).orElseThrow();
            if (!(v instanceof UclObject e)) {
                throw new ConfigException(v.position(), where + ": rules " + name + " must be a section { ... }");
            }
            e.warnUnknown(where + " rules " + name, Set.of("selector", "map", "type", "description"), warnings);
            Selector sel = selector(e, "selector", where + " rules " + name);
            String t = e.getString("type", null);
            if (t == null) {
                t = name.contains("ip") ? "radix" : name.contains("regexp") || name.contains("re_") || name.contains("glob")
                        ? "regexp" : "set";
            }
            MapData.Kind kind = switch (t) {
                case "radix", "ipnet" -> MapData.Kind.RADIX;
                case "regexp", "regexp_multi" -> MapData.Kind.REGEXP;
                case "glob", "glob_multi" -> MapData.Kind.GLOB;
                case "hash", "set", "plain" -> MapData.Kind.HASH;
                default -> throw new ConfigException(e.get("type").orElseThrow().position(), where + " rules " + name
                        + ": unknown map type '" + t + "' (radix, hash, set, regexp, glob)");
            };
            UclValue mapValue = e.get("map").orElseThrow(() ->
                    new ConfigException(e.position(), where + " rules " + name + " has no map"));
            List<MapSource> sources = sources(mapValue, kind, configDir, where + " rules " + name, warnings, maps, clock);
            if (sources == null) {
                throw new ConfigException(mapValue.position(), where + " rules " + name + ": no usable map source");
            }
            LiveMap map = new LiveMap(name, kind, t.endsWith("_multi"), sources, clock, maps.settle(), warnings);
            out.put(name, new MultimapRule.Element(name, sel, map, t.equals("set")));
        }
        if (out.isEmpty()) {
            throw new ConfigException(elements.position(), where + ": rules { } is empty");
        }
        try {
            Expression<String> expression = Expression.parse(expressionText, AtomParser.names(atom -> {
                if (!out.containsKey(atom)) {
                    throw new ExpressionException("use of undefined element \"" + atom + "\"", 0);
                }
                return atom;
            }));
            return new MultimapRule.Combined(expression, out);
        } catch (ExpressionException e) {
            throw new ConfigException(r.get("expression").orElseThrow().position(), where + ": bad expression '"
                    + expressionText + "': " + e.getMessage());
        }
    }

    /** A rule with {@code prefilter = true}: the engine runs it before every other rule. */
    static final class PrefilterRule extends MultimapRule implements Prefilter {
        PrefilterRule(Spec spec, LiveMap map) {
            super(spec, map);
        }
    }

    /** Radix for addresses (ip, received real_ip / from_ip, filter ip_addr), else regexp / glob / hash by flag. */
    private static MapData.Kind kind(MultimapType type, String filter, UclObject r) {
        boolean addresses = type == MultimapType.IP || "ip_addr".equals(filter) || type == MultimapType.RECEIVED
                && (filter == null || filter.equals("real_ip") || filter.equals("from_ip"));
        if (addresses) {
            return MapData.Kind.RADIX;
        }
        if (r.getBoolean("regexp", false)) {
            return MapData.Kind.REGEXP;
        }
        return r.getBoolean("glob", false) ? MapData.Kind.GLOB : MapData.Kind.HASH;
    }

    /**
     * {@code map}: one path or URL, a list of them, or a list of entries written inline (when the first item does
     * not start with {@code /}, {@code file:} or {@code http}, as Rspamd decides).
     */
    static List<MapSource> sources(UclValue map, MapData.Kind kind, Path configDir, String where,
                                   Consumer<String> warnings, MapOptions maps, Clock clock) {
        List<UclValue> items = map instanceof UclArray a ? a.items() : List.of(map);
        List<String> texts = new ArrayList<>();
        for (UclValue item : items) {
            if (!(item instanceof UclScalar sc) || sc.isNull()) {
                throw new ConfigException(item.position(), where + ": map entries must be strings");
            }
            texts.add(sc.asString());
        }
        if (texts.isEmpty()) {
            warnings.accept(map.position() + ": " + where + ": empty map; the rule matches nothing");
            return List.of(new MapSource.Inline(map.position().toString(), List.of()));
        }
        boolean inline = map instanceof UclArray && (!looksLikeLocation(texts.get(0))
                || kind == MapData.Kind.REGEXP && looksLikeRegexp(texts.get(0)));
        if (inline) {
            List<MapFileFormat.Entry> entries = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                MapFileFormat.Entry e = MapFileFormat.line(texts.get(i), 0, texts.get(i).length(), i + 1);
                if (e != null) {
                    entries.add(e);
                }
            }
            // entries in the configuration itself: a bad one fails here, with its position
            MapData.Builder check = MapData.builder(kind, false);
            for (int i = 0; i < entries.size(); i++) {
                try {
                    check.add(entries.get(i).key(), entries.get(i).value());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(items.get(Math.min(i, items.size() - 1)).position(), where + ": " + e.getMessage());
                }
            }
            return List.of(new MapSource.Inline(map.position().toString(), entries));
        }
        // fallback+file://: read at start when an HTTP map of the list has no cached copy (Rspamd's fallback backend)
        Path fallback = null;
        for (String text : texts) {
            String t = stripKindPrefix(text.strip());
            if (t.startsWith("fallback+file://")) {
                fallback = mapPath(t.substring("fallback+file://".length()), configDir);
            }
        }
        boolean anyHttp = texts.stream().anyMatch(t -> HttpMap.isHttp(stripKindPrefix(t.strip())));
        List<MapSource> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = stripKindPrefix(texts.get(i).strip());
            Position pos = items.get(i).position();
            if (HttpMap.isHttp(t)) {
                try {
                    out.add(new MapSource.Http(HttpMap.open(t, fallback, maps, clock)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(pos, where + ": " + e.getMessage());
                }
                continue;
            }
            if (t.startsWith("fallback+file://")) {
                if (anyHttp) {
                    continue;
                }
                warnings.accept(pos + ": " + where + ": a fallback map without an HTTP map is read as a plain file");
                t = t.substring("fallback+file://".length());
            }
            if (t.startsWith("file://")) {
                t = t.substring("file://".length());
            }
            out.add(new MapSource.File(mapPath(t, configDir)));
        }
        if (out.isEmpty()) {
            warnings.accept(map.position() + ": " + where + ": no usable map source; rule left out");
            return null;
        }
        return out;
    }

    private static Path mapPath(String t, Path configDir) {
        Path p = Path.of(t);
        if (!p.isAbsolute() && configDir != null) {
            p = configDir.resolve(p);
        }
        return p.normalize();
    }

    /**
     * An inline {@code /regexp/flags} item (Rspamd would take it for a file path): ends with a slash and flags and
     * names no existing file.
     */
    private static boolean looksLikeRegexp(String s) {
        String t = s.strip();
        return t.matches("/.+/[a-zA-Z]*") && !Files.isRegularFile(Path.of(t));
    }

    private static boolean looksLikeLocation(String s) {
        String t = stripKindPrefix(s.strip());
        return t.startsWith("/") || t.startsWith("file:") || t.startsWith("http") || t.startsWith("fallback+")
                || t.startsWith("$");
    }

    private static String stripKindPrefix(String s) {
        for (String p : List.of("regexp;", "re;", "regexp_multi;", "re_multi;", "glob;", "glob_multi;", "radix;",
                "ipnet;", "set;", "hash;", "plain;")) {
            if (s.startsWith(p)) {
                return s.substring(p.length());
            }
        }
        return s;
    }
}
