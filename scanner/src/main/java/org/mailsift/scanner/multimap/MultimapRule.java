package org.mailsift.scanner.multimap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.common.net.InetAddresses;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.maps.MapWatcher;
import org.mailsift.scanner.rules.MailAddress;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * One rule of multimap.conf: extracts the values its type names from the message or envelope, applies the filter,
 * looks them up in its map and inserts a symbol for each hit (the rule's own, or the one the map's value names), as
 * Rspamd's multimap does; with {@code action} a hit also forces that action (a pre-result).
 */
class MultimapRule implements Rule, AutoCloseable {
    private static final int MAX_URLS = 1000;

    /**
     * A parsed rule.
     *
     * @param symbol             the rule's symbol
     * @param type               what is matched
     * @param filter             how extracted values become keys ({@link ValueFilter}); null: unfiltered
     * @param filterName         the filter as configured (content and received filters are field names)
     * @param headers            header names (type header)
     * @param extractFrom        smtp, mime, both or default (from / rcpt)
     * @param symbols            the symbols a map value may name ({@code symbols}); empty: any
     * @param disableMultisymbol a value's symbol becomes an option of the rule's symbol
     * @param action             forced on a hit, or null
     * @param message            the SMTP message with the action, or null for "Matched map: SYMBOL"
     * @param minPos             received: first header position (1 = newest; negative counts from the oldest)
     * @param maxPos             received: last header position
     * @param targetSymbol       symbol_options: the symbol whose options are matched, else null
     */
    record Spec(String symbol, MultimapType type, ValueFilter filter, String filterName, List<String> headers,
                String extractFrom, List<String> symbols, boolean disableMultisymbol, Action action, String message,
                boolean prefilter, Integer minPos, Integer maxPos, List<SymbolDefinition> definitions,
                Selector selector, String delimiter, Combined combined, String targetSymbol) {
    }

    /**
     * A {@code combined} rule: named elements, each a selector and its map, joined by an expression of their names
     * (Rspamd's lua_maps_expressions). An element is true when one of its selector's values is in its map.
     */
    record Combined(Expression<String> expression, java.util.Map<String, Element> elements) {
    }

    /** @param ignoreValues a {@code set} map: only keys count, each hit scores the rule's symbol */
    record Element(String name, Selector selector, LiveMap map, boolean ignoreValues) {
    }

    private final Spec spec;
    private final LiveMap map;
    private final List<LiveMap> watched;
    private final List<MapWatcher.Registration> registrations = new ArrayList<>();
    private boolean closed;
    private final Set<String> allowedSymbols;

    /** @param map the rule's map; for a combined rule, the first element's (each element has its own) */
    MultimapRule(Spec spec, LiveMap map) {
        this.spec = spec;
        this.map = map;
        this.allowedSymbols = Set.copyOf(spec.symbols());
        this.watched = spec.combined() == null ? List.of(map)
                : spec.combined().elements().values().stream().map(Element::map).toList();
    }

    LiveMap map() {
        return map;
    }

    /** Starts checking this rule's map files every {@code interval}. */
    synchronized void watch(java.time.Duration interval) {
        if (registrations.isEmpty()) {
            for (LiveMap m : watched) {
                if (m.watchesFiles()) {
                    registrations.add(MapWatcher.watch(m::refresh, "multimap " + spec.symbol(),
                            m.awaitsFirstFetch() ? java.time.Duration.ZERO : interval, interval));
                }
            }
        }
    }

    /** Stops watching the map files (the engine closes its rules when a reload replaces it). */
    @Override
    public synchronized void close() {
        registrations.forEach(MapWatcher.Registration::close);
        registrations.clear();
        if (!closed) {
            closed = true;
            watched.forEach(LiveMap::close);
        }
    }

    Spec spec() {
        return spec;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return spec.definitions();
    }

    @Override
    public void check(ScanContext ctx) {
        ParsedMessage m = ctx.message();
        Envelope env = ctx.envelope();
        MapData data = map.data();
        MessageMemo.enter(m);
        switch (spec.type()) {
            case IP -> {
                if (env.clientIp() != null && InetAddresses.isInetAddress(env.clientIp())) {
                    matchIp(ctx, data, env.clientIp());
                }
            }
            case RECEIVED -> received(ctx, data, m);
            case HEADER -> {
                for (String h : spec.headers()) {
                    for (String v : m.headerValues(h)) {
                        match(ctx, data, v);
                    }
                }
            }
            case FROM -> addresses(ctx, data, senders(m, env));
            case RCPT -> addresses(ctx, data, recipients(m, env));
            case HELO -> match(ctx, data, env.helo());
            case HOSTNAME -> match(ctx, data, env.clientHostname());
            case USER -> match(ctx, data, env.authUser());
            case URL -> {
                for (String[] u : urls(m)) {
                    match(ctx, data, spec.filterName() == null ? u[1] : u[0]);
                }
            }
            case FILENAME -> {
                for (ParsedMessage.Attachment a : m.attachments()) {
                    match(ctx, data, a.filename());
                }
            }
            case CONTENT -> {
                for (String c : content(m)) {
                    for (String v : data.lookup(c)) {
                        insert(ctx, v, null);
                    }
                }
            }
            case SELECTOR -> {
                for (String v : spec.selector().combine(selectorInput(ctx), spec.delimiter())) {
                    match(ctx, data, v);
                }
            }
            case COMBINED -> combined(ctx);
            case SYMBOL_OPTIONS -> { } // after every other rule: SymbolOptionsRule
        }
    }

    /** One selector input per message, shared by the selector and combined rules (it memoizes what they extract). */
    private static SelectorInput selectorInput(ScanContext ctx) {
        return MessageMemo.get(ctx.message(), "selectorInput", () -> SelectorInput.of(ctx));
    }

    /** Evaluates the expression over the elements; when true, each element that matched inserts its hit. */
    private void combined(ScanContext ctx) {
        SelectorInput in = selectorInput(ctx);
        java.util.Map<String, String[]> matched = new java.util.LinkedHashMap<>();
        double result = spec.combined().expression().evaluate(name -> {
            Element e = spec.combined().elements().get(name);
            if (matched.containsKey(name)) {
                return 1.0;
            }
            MapData d = e.map().data();
            for (String v : e.selector().combine(in, "")) {
                List<String> hits = d.lookup(v);
                if (!hits.isEmpty()) {
                    matched.put(name, new String[] {v, e.ignoreValues() ? "" : hits.get(0)});
                    return 1.0;
                }
            }
            return 0.0;
        });
        if (Expression.isTrue(result)) {
            for (java.util.Map.Entry<String, String[]> m : matched.entrySet()) {
                insert(ctx, m.getValue()[1], m.getKey() + "=" + m.getValue()[0]);
            }
        }
    }

    /** The message's distinct URLs (at most {@value #MAX_URLS}), each with its host, once per message. */
    private static List<String[]> urls(ParsedMessage m) {
        return MessageMemo.get(m, "urls", () -> {
            Set<String> seen = new LinkedHashSet<>();
            List<String[]> out = new ArrayList<>();
            for (String u : m.urls()) {
                if (seen.size() >= MAX_URLS) {
                    break;
                }
                if (seen.add(u)) {
                    out.add(new String[] {u, UrlParts.of(u).host()});
                }
            }
            return out;
        });
    }

    void match(ScanContext ctx, MapData data, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        List<String> keys = spec.filter() == ValueFilter.NONE ? List.of(value) : spec.filter().apply(value);
        for (String k : keys) {
            for (String v : data.lookup(k)) {
                insert(ctx, v, k);
            }
        }
    }

    private void matchIp(ScanContext ctx, MapData data, String ip) {
        for (String v : data.lookup(InetAddresses.forString(ip))) {
            insert(ctx, v, ip);
        }
    }

    /** Without a filter an address is looked up whole, then its domain, then its user part, as Rspamd does. */
    private void addresses(ScanContext ctx, MapData data, List<String> addrs) {
        for (String a : addrs) {
            match(ctx, data, a);
            if (spec.filter() == ValueFilter.NONE) {
                int at = a.lastIndexOf('@');
                if (at >= 0) {
                    match(ctx, data, a.substring(at + 1));
                    match(ctx, data, a.substring(0, at));
                }
            }
        }
    }

    private List<String> senders(ParsedMessage m, Envelope env) {
        boolean smtp = env.mailFrom() != null && !env.mailFrom().isEmpty();
        List<String> out = new ArrayList<>();
        switch (spec.extractFrom()) {
            case "smtp" -> addIf(out, smtp ? env.mailFrom() : null);
            case "mime" -> mime(out, m, "From");
            case "both" -> {
                addIf(out, smtp ? env.mailFrom() : null);
                mime(out, m, "From");
            }
            default -> {
                if (smtp) {
                    out.add(env.mailFrom());
                } else {
                    mime(out, m, "From");
                }
            }
        }
        return out;
    }

    private List<String> recipients(ParsedMessage m, Envelope env) {
        boolean smtp = !env.rcptTo().isEmpty();
        List<String> out = new ArrayList<>();
        switch (spec.extractFrom()) {
            case "smtp" -> out.addAll(env.rcptTo());
            case "mime" -> mime(out, m, "To", "Cc");
            case "both" -> {
                out.addAll(env.rcptTo());
                mime(out, m, "To", "Cc");
            }
            default -> {
                if (smtp) {
                    out.addAll(env.rcptTo());
                } else {
                    mime(out, m, "To", "Cc");
                }
            }
        }
        return out;
    }

    private static void addIf(List<String> out, String v) {
        if (v != null) {
            out.add(v);
        }
    }

    private static void mime(List<String> out, ParsedMessage m, String... headers) {
        out.addAll(MessageMemo.get(m, "mime:" + String.join(",", headers), () -> mimeAddresses(m, headers)));
    }

    private static List<String> mimeAddresses(ParsedMessage m, String... headers) {
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            for (ParsedMessage.Header header : m.headers()) {
                if (header.name().equalsIgnoreCase(h)) {
                    for (MailAddress a : MailAddress.parseList(header.rawValue())) {
                        if (!a.addr().isEmpty()) {
                            out.add(a.addr());
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The registrable domain (Public Suffix List) of a host. */
    static String registrable(ParsedMessage m, String host) {
        return Domains.registrable(host);
    }

    /** Received headers newest first; {@code filter} names the field (real_ip by default), {@code tld:} its domain. */
    private void received(ScanContext ctx, MapData data, ParsedMessage m) {
        List<ReceivedHeader> values = MessageMemo.get(m, "received",
                () -> m.headerValues("Received").stream().map(ReceivedHeader::parse).toList());
        String field = spec.filterName() == null ? "real_ip" : spec.filterName();
        boolean tld = field.startsWith("tld:");
        if (tld) {
            field = field.substring(4);
        }
        int total = values.size();
        for (int i = 0; i < total; i++) {
            int pos = i + 1;
            if (!inRange(pos, total)) {
                continue;
            }
            String v = values.get(i).field(field);
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (field.equals("real_ip") || field.equals("from_ip")) {
                if (InetAddresses.isInetAddress(v)) {
                    matchIp(ctx, data, v);
                }
            } else {
                match(ctx, data, tld ? registrable(m, v) : v);
            }
        }
    }

    /** Rspamd's min_pos / max_pos: 1 is the newest header; -1 the oldest; -n the n oldest. */
    private boolean inRange(int pos, int total) {
        Integer min = spec.minPos();
        Integer max = spec.maxPos();
        if (min != null) {
            if (min < 0) {
                if (min == -1 ? pos != total : pos <= total + min) {
                    return false;
                }
            } else if (pos < min) {
                return false;
            }
        }
        if (max != null) {
            if (max < -1) {
                return total + max < pos;
            }
            return max <= 0 || pos <= max;
        }
        return true;
    }

    private List<String> content(ParsedMessage m) {
        String filter = spec.filterName() == null ? "full" : spec.filterName();
        return MessageMemo.get(m, List.of("content", filter), () -> content(m, filter));
    }

    private static List<String> content(ParsedMessage m, String filter) {
        byte[] raw = m.raw();
        return switch (filter) {
            case "body" -> List.of(latin1(raw, bodyStart(raw), raw.length));
            case "headers" -> List.of(latin1(raw, 0, bodyStart(raw)));
            case "text", "rawtext" -> m.textParts().stream().map(ParsedMessage.TextPart::text).toList();
            case "oneline" -> m.textParts().stream().map(p -> p.text().replaceAll("\\s+", " ").strip()).toList();
            default -> List.of(latin1(raw, 0, raw.length));
        };
    }

    private static String latin1(byte[] raw, int from, int to) {
        return new String(raw, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }

    private static int bodyStart(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                return raw[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }
        return raw.length;
    }

    /** One hit: the value's symbol (when allowed) or the rule's, its score and options, then the forced action. */
    private void insert(ScanContext ctx, String value, String matched) {
        MapValue v = MapValue.parse(value);
        String symbol = spec.symbol();
        List<String> options = new ArrayList<>(2);
        if (v.symbol() != null) {
            if (!allowedSymbols.isEmpty()) {
                symbol = allowedSymbols.contains(v.symbol()) ? v.symbol() : spec.symbol();
            } else if (spec.disableMultisymbol()) {
                options.add(value);
            } else {
                symbol = v.symbol();
            }
        }
        if (!v.options().isEmpty()) {
            options = v.options();
        } else if (matched != null) {
            options.add(0, matched);
        }
        ctx.insert(symbol, v.score(), options);
        if (spec.action() != null) {
            ctx.forceAction(spec.action(), spec.message() != null ? spec.message() : "Matched map: " + spec.symbol());
        }
    }
}
