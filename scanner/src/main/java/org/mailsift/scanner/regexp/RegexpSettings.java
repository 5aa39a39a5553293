package org.mailsift.scanner.regexp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.expression.ExpressionException;
import org.mailsift.scanner.expression.References;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorException;
import org.mailsift.scanner.settings.Sections;

/**
 * regexp.conf: Rspamd's regexp module in UCL. Rules as {@code rules { SYM { re = "Subject=/viagra/i"; score = 3;
 * description = "..."; group = "..."; } }} or directly {@code SYM { re = ...; }} / {@code SYM = "expression";};
 * named atoms {@code atoms { NAME = "Subject=/x/i"; }} that expressions use by name (as Rspamd's Lua
 * {@code local reA = ...}), where a rule's own symbol may be used the same way; {@code max_size} (default 1M) cuts
 * every text a regexp runs over; {@code selectors { NAME = "selector"; }} names the selectors that
 * {@code NAME=/re/{selector}} regexps match (Rspamd registers them from Lua with register_re_selector). A regexp that does not compile, or that RE2 cannot run (backreferences,
 * lookaround), an unknown name and a rule that reaches itself are errors naming file:line:column.
 */
public record RegexpSettings(List<RegexpRule> rules, Map<String, Expression<RegexpAtom>> atoms, int maxSize,
                             Map<String, Selector> selectors) {
    public static final String SECTION = "regexp";
    static final int DEFAULT_MAX_SIZE = 1_000_000;
    private static final Set<String> RULE_KEYS = Set.of("re", "regexp", "score", "description", "group", "one_shot",
            "any_shot", "nshots", "one_param", "priority", "enabled", "mime_only", "expression_flags", "condition",
            "re_conditions", "functions", "groups");

    public RegexpSettings {
        rules = List.copyOf(rules);
        atoms = Map.copyOf(atoms);
        selectors = Map.copyOf(selectors);
    }

    public static RegexpSettings from(ConfigSource config) {
        List<RegexpRule> rules = new ArrayList<>();
        Map<String, Expression<RegexpAtom>> atoms = new LinkedHashMap<>();
        Map<String, Position> atomPositions = new HashMap<>();
        Map<String, Selector> selectors = new HashMap<>();
        int maxSize = DEFAULT_MAX_SIZE;
        for (Map.Entry<String, UclValue> e : Sections.entries(config.section(SECTION), SECTION)) {
            String key = e.getKey();
            UclValue v = e.getValue();
            switch (key) {
                case "max_size" -> maxSize = (int) Math.min(Integer.MAX_VALUE, scalar(v, key).asLong());
                case "max_threads" -> { }
                case "atoms" -> {
                    for (Map.Entry<String, List<UclValue>> a : object(v, key).entries().entrySet()) {
                        UclValue def = a.getValue().get(a.getValue().size() - 1);
                        UclScalar s = scalar(def, "atom " + a.getKey());
                        atoms.put(a.getKey(), parse("atom " + a.getKey(), s));
                        atomPositions.put(a.getKey(), s.position());
                    }
                }
                case "selectors", "selector" -> object(v, key).entries().forEach((name, defs) ->
                        selectors.put(name, selector(name, scalar(defs.get(defs.size() - 1), "selector " + name))));
                case "rules" -> object(v, key).entries().forEach((sym, defs) ->
                        defs.forEach(d -> addRule(sym, d, rules, config)));
                default -> addRule(key, v, rules, config);
            }
        }
        checkNames(rules, atoms, atomPositions, selectors.keySet());
        return new RegexpSettings(rules, atoms, maxSize, selectors);
    }

    private static void addRule(String symbol, UclValue v, List<RegexpRule> rules, ConfigSource config) {
        rules.removeIf(r -> r.symbol().equals(symbol)); // a later definition (local.d) replaces the stock one
        if (v instanceof UclScalar s) {
            rules.add(new RegexpRule(symbol, parse(symbol, s), 0.0, "ungrouped", "", false, s.position()));
            return;
        }
        UclObject o = object(v, symbol);
        o.warnUnknown("regexp rule " + symbol, RULE_KEYS, config::warn);
        if (!o.getBoolean("enabled", true)) {
            return;
        }
        UclScalar re = o.getScalar("re").or(() -> o.getScalar("regexp")).filter(x -> !x.isNull())
                .orElseThrow(() -> new ConfigException(o.position(), "regexp rule " + symbol + " has no re"));
        for (String lua : List.of("condition", "functions", "re_conditions")) {
            if (o.has(lua)) {
                config.warn(o.get(lua).orElseThrow().position() + ": regexp rule " + symbol + ": " + lua
                        + " needs Lua and is ignored");
            }
        }
        boolean everyAtom = o.has("expression_flags") && o.getStringList("expression_flags").contains("noopt");
        rules.add(new RegexpRule(symbol, parse(symbol, re), o.getDouble("score", 0.0), o.getString("group", "ungrouped"),
                o.getString("description", ""), everyAtom, o.position()));
    }

    private static Expression<RegexpAtom> parse(String what, UclScalar value) {
        String text = value.asString();
        try {
            return Expression.parse(text, new RegexpAtomParser());
        } catch (ExpressionException e) {
            throw new ConfigException(columnOf(value, e.offset()), what + ": " + e.getMessage());
        }
    }

    private static Selector selector(String name, UclScalar value) {
        try {
            return Selector.parse(value.asString());
        } catch (SelectorException e) {
            throw new ConfigException(columnOf(value, Math.max(0, e.position())), "selector " + name + ": "
                    + e.getMessage());
        }
    }

    /**
     * Every bare name must be a named atom or a rule, every {@code {selector}} regexp a selector of
     * {@code selectors { }}, and no rule may reach itself through names.
     */
    private static void checkNames(List<RegexpRule> rules, Map<String, Expression<RegexpAtom>> atoms,
                                   Map<String, Position> atomPositions, Set<String> selectors) {
        Map<String, Expression<RegexpAtom>> named = new LinkedHashMap<>(atoms);
        Map<String, Position> positions = new HashMap<>(atomPositions);
        for (RegexpRule r : rules) {
            named.putIfAbsent(r.symbol(), r.expression());
            positions.putIfAbsent(r.symbol(), r.position());
        }
        for (Map.Entry<String, Expression<RegexpAtom>> e : named.entrySet()) {
            for (var atom : e.getValue().atoms()) {
                if (atom.atom() instanceof RegexpAtom.Reference ref && !named.containsKey(ref.text())) {
                    throw new ConfigException(positions.get(e.getKey()), e.getKey() + ": unknown atom or rule '"
                            + ref.text() + "' (define it in atoms { } or as a rule)");
                }
                if (atom.atom() instanceof RegexpAtom.Match m && m.type() == RegexpType.SELECTOR
                        && !selectors.contains(m.header())) {
                    throw new ConfigException(positions.get(e.getKey()), e.getKey() + ": unknown selector '"
                            + m.header() + "' in " + m.text() + " (define it in selectors { " + m.header()
                            + " = \"...\"; })");
                }
            }
        }
        Map<String, List<String>> uses = new LinkedHashMap<>();
        named.forEach((name, e) -> uses.put(name, e.atoms().stream()
                .filter(a -> a.atom() instanceof RegexpAtom.Reference).map(a -> a.atom().text()).toList()));
        References.findCycle(uses).ifPresent(path -> {
            throw new ConfigException(positions.get(path.get(0)), path.get(0) + " refers to itself ("
                    + String.join(" -> ", path) + ")");
        });
    }

    /** The position of offset {@code offset} inside a quoted single-line string value. */
    private static Position columnOf(UclScalar value, int offset) {
        Position at = value.position();
        return new Position(at.file(), at.line(), at.column() + 1 + offset);
    }

    private static UclObject object(UclValue v, String what) {
        if (v instanceof UclObject o) {
            return o;
        }
        throw new ConfigException(v.position(), what + " must be a section { ... }");
    }

    private static UclScalar scalar(UclValue v, String what) {
        if (v instanceof UclScalar s) {
            return s;
        }
        throw new ConfigException(v.position(), what + " must be a value");
    }
}
