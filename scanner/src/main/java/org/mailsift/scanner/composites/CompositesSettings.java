package org.mailsift.scanner.composites;

import java.util.ArrayList;
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
import org.mailsift.scanner.settings.Sections;

/**
 * composites.conf, Rspamd's syntax: {@code composites { NAME { expression = "A & !B"; score = 5; policy =
 * "remove_weight"; group = "..."; description = "..."; enabled = true; } }} (the {@code composites} wrapper is
 * optional), and the short form {@code NAME = "A & !B";}. An expression that does not parse, an unknown policy and a
 * composite that depends on itself (directly or through other composites) are errors naming file:line:column.
 */
public record CompositesSettings(List<Composite> composites) {
    public static final String SECTION = "composites";
    private static final Set<String> KEYS = Set.of("expression", "score", "policy", "group", "groups", "description",
            "enabled", "disabled", "priority", "one_shot", "conditions", "depends_on");

    public CompositesSettings {
        composites = List.copyOf(composites);
    }

    public static CompositesSettings from(ConfigSource config) {
        // a name given twice (stock file, then local.d beside its wrapper) is merged key by key, later wins, as
        // Rspamd's .include(duplicate=merge) of local.d inside the stock wrapper does
        Map<String, UclValue> merged = new LinkedHashMap<>();
        for (Map.Entry<String, UclValue> e : Sections.entries(config.section(SECTION), SECTION)) {
            merged.merge(e.getKey(), e.getValue(), CompositesSettings::mergeDefinitions);
        }
        Map<String, Composite> byName = new LinkedHashMap<>();
        for (Map.Entry<String, UclValue> e : merged.entrySet()) {
            Composite c = read(e.getKey(), e.getValue(), config);
            if (c != null) {
                byName.put(c.name(), c);
            }
        }
        rejectCycles(byName);
        return new CompositesSettings(new ArrayList<>(byName.values()));
    }

    private static UclValue mergeDefinitions(UclValue earlier, UclValue later) {
        if (earlier instanceof UclObject a && later instanceof UclObject b) {
            Map<String, List<UclValue>> m = new LinkedHashMap<>(a.entries());
            m.putAll(b.entries());
            return new UclObject(m, b.position());
        }
        return later;
    }

    private static Composite read(String name, UclValue value, ConfigSource config) {
        if (value instanceof UclScalar s) {
            return composite(name, s, 0.0, CompositePolicy.REMOVE_ALL, "composite", null, value.position());
        }
        if (!(value instanceof UclObject o)) {
            throw new ConfigException(value.position(), "composite " + name + " must be { expression = \"...\"; }");
        }
        o.warnUnknown("composite " + name, KEYS, config::warn);
        if (!o.getBoolean("enabled", true) || o.getBoolean("disabled", false)) {
            return null;
        }
        UclScalar expression = o.getScalar("expression").filter(x -> !x.isNull())
                .orElseThrow(() -> new ConfigException(o.position(), "composite " + name + " has no expression"));
        CompositePolicy policy = CompositePolicy.REMOVE_ALL;
        if (o.has("policy")) {
            UclScalar p = o.getScalar("policy").orElseThrow();
            policy = CompositePolicy.parse(p.asString());
            if (policy == null) {
                throw new ConfigException(p.position(), "composite " + name + ": unknown policy \"" + p.asString()
                        + "\" (remove_all, remove_symbol, remove_weight or leave)");
            }
        }
        return composite(name, expression, o.getDouble("score", 0.0), policy, o.getString("group", "composite"),
                o.getString("description", null), o.position());
    }

    private static Composite composite(String name, UclScalar expression, double score, CompositePolicy policy,
                                       String group, String description, Position position) {
        String text = expression.asString();
        Expression<CompositeAtom> parsed;
        try {
            parsed = Expression.parse(text, CompositeAtom.PARSER);
        } catch (ExpressionException e) {
            Position at = expression.position();
            throw new ConfigException(new Position(at.file(), at.line(), at.column() + 1 + e.offset()),
                    "composite " + name + ": cannot parse expression \"" + text + "\": " + e.getMessage());
        }
        return new Composite(name, parsed, score, policy, group, description != null ? description : text, position);
    }

    /** A composite reaching itself through its symbol atoms would be evaluated without end: refused. */
    private static void rejectCycles(Map<String, Composite> byName) {
        Map<String, List<String>> uses = new LinkedHashMap<>();
        byName.forEach((name, c) -> uses.put(name, c.expression().atoms().stream()
                .filter(a -> a.atom().kind() == CompositeAtom.Kind.SYMBOL).map(a -> a.atom().name()).toList()));
        References.findCycle(uses).ifPresent(path -> {
            Composite c = byName.get(path.get(0));
            throw new ConfigException(c.position(), "composite " + c.name() + " refers to itself ("
                    + String.join(" -> ", path) + ")");
        });
    }
}
