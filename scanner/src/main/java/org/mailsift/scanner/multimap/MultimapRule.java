package org.mailsift.scanner.multimap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.net.InetAddress;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.maps.MapWatcher;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.selectors.ReceivedHeader;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * One rule of multimap.conf: extracts the values its type names from the message or envelope, applies the filter,
 * looks them up in its map and inserts a symbol for each hit (the rule's own, or the one the map's value names), as
 * Rspamd's multimap does; with {@code action} a hit also forces that action (a pre-result).
 */
class MultimapRule implements Rule, AutoCloseable {
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
        MessageMemo memo = MessageMemo.enter(m);
        switch (spec.type()) {
            case IP -> {
                InetAddress ip = memo.clientIp(env.clientIp());
                if (ip != null) {
                    matchIp(ctx, data, ip, env.clientIp());
                }
            }
            case RECEIVED -> received(ctx, data, memo);
            case HEADER -> {
                for (String h : spec.headers()) {
                    for (String v : m.headerValues(h)) {
                        match(ctx, data, v);
                    }
                }
            }
            case FROM -> addresses(ctx, data, senders(memo, env));
            case RCPT -> addresses(ctx, data, recipients(memo, env));
            case HELO -> matchHost(ctx, data, env.helo());
            case HOSTNAME -> matchHost(ctx, data, env.clientHostname());
            case USER -> match(ctx, data, env.authUser());
            case URL -> {
                boolean tld = "tld".equals(spec.filterName());
                for (MessageMemo.Url u : memo.urls()) {
                    if (!tld || data.mayHoldSuffixOf(u.parts().host())) {
                        match(ctx, data, spec.filterName() == null ? u.parts().host() : u.url());
                    }
                }
            }
            case FILENAME -> {
                for (ParsedMessage.Attachment a : m.attachments()) {
                    match(ctx, data, a.filename());
                }
            }
            case CONTENT -> {
                for (String c : content(memo, m)) {
                    for (String v : data.lookup(c)) {
                        insert(ctx, v, null);
                    }
                }
            }
            case SELECTOR -> {
                for (String v : spec.selector().combine(memo.selectorInput(ctx), spec.delimiter())) {
                    match(ctx, data, v);
                }
            }
            case COMBINED -> combined(ctx, memo);
            case SYMBOL_OPTIONS -> { } // after every other rule: SymbolOptionsRule
        }
    }

    /** Evaluates the expression over the elements; when true, each element that matched inserts its hit. */
    private void combined(ScanContext ctx, MessageMemo memo) {
        SelectorInput in = memo.selectorInput(ctx);
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

    /** A host name; with the tld filter, only when the map may hold its registrable domain (no list lookup else). */
    private void matchHost(ScanContext ctx, MapData data, String host) {
        if (host != null && (!"tld".equals(spec.filterName()) || data.mayHoldSuffixOf(host))) {
            match(ctx, data, host);
        }
    }

    private void matchIp(ScanContext ctx, MapData data, InetAddress ip, String written) {
        for (String v : data.lookup(ip)) {
            insert(ctx, v, written);
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

    /** The senders the rule reads (MAIL FROM, the From headers' addresses, or both), without copying. */
    private List<String> senders(MessageMemo memo, Envelope env) {
        String smtp = env.mailFrom() != null && !env.mailFrom().isEmpty() ? env.mailFrom() : null;
        return switch (spec.extractFrom()) {
            case "smtp" -> smtp == null ? List.of() : List.of(smtp);
            case "mime" -> memo.mimeFrom();
            case "both" -> smtp == null ? memo.mimeFrom() : prepend(smtp, memo.mimeFrom());
            default -> smtp != null ? List.of(smtp) : memo.mimeFrom();
        };
    }

    private List<String> recipients(MessageMemo memo, Envelope env) {
        List<String> smtp = env.rcptTo();
        return switch (spec.extractFrom()) {
            case "smtp" -> smtp;
            case "mime" -> memo.mimeRcpt();
            case "both" -> concat(smtp, memo.mimeRcpt());
            default -> !smtp.isEmpty() ? smtp : memo.mimeRcpt();
        };
    }

    private static List<String> prepend(String first, List<String> rest) {
        if (rest.isEmpty()) {
            return List.of(first);
        }
        List<String> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<String> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** Received headers newest first; {@code filter} names the field (real_ip by default), {@code tld:} its domain. */
    private void received(ScanContext ctx, MapData data, MessageMemo memo) {
        List<ReceivedHeader> values = memo.received(ctx);
        int total = values.size();
        if (total == 0) {
            return;
        }
        String field = spec.filterName() == null ? "real_ip" : spec.filterName();
        boolean tld = field.startsWith("tld:");
        if (tld) {
            field = field.substring(4);
        }
        boolean ip = field.equals("real_ip") || field.equals("from_ip");
        for (int i = 0; i < total; i++) {
            int pos = i + 1;
            if (!inRange(pos, total)) {
                continue;
            }
            ReceivedHeader hop = values.get(i);
            if (ip) {
                if (hop.realAddress() != null) {
                    matchIp(ctx, data, hop.realAddress(), hop.realIp());
                }
                continue;
            }
            String v = hop.field(field);
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (!tld) {
                match(ctx, data, v);
            } else if (data.mayHoldSuffixOf(v)) {
                match(ctx, data, memo.registrable(v));
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

    private List<String> content(MessageMemo memo, ParsedMessage m) {
        String filter = spec.filterName() == null ? "full" : spec.filterName();
        return memo.content(filter, () -> content(m, filter));
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
