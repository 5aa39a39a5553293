package org.mailsift.scanner.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclValue;

/**
 * groups.conf and the scores.d files it includes, as in Rspamd:
 * {@code group "headers" { max_score = 8; symbols { "MISSING_DATE" { weight = 1.0; description = "..."; } } }}.
 * Symbol weights given here override the rules' defaults; {@code max_score} caps a group's total.
 * Built-in group caps follow Rspamd's stock scores.d.
 */
public record GroupsSettings(Map<String, Double> groupMaxScore, Map<String, SymbolOverride> symbols) {
    private static final Set<String> GROUP_KEYS = Set.of("max_score", "min_score", "description", "symbols", "disabled",
            "enabled", "one_shot", "public");
    private static final Set<String> SYMBOL_KEYS = Set.of("weight", "score", "description", "one_shot", "one_param",
            "priority", "groups", "group", "nshots", "flags");

    public static final GroupsSettings DEFAULTS = new GroupsSettings(builtInCaps(), Map.of());

    /** A symbol's configured weight (null when only the description is set), description and group. */
    public record SymbolOverride(Double weight, String description, String group) {
    }

    public GroupsSettings {
        groupMaxScore = Collections.unmodifiableMap(new LinkedHashMap<>(groupMaxScore));
        symbols = Collections.unmodifiableMap(new LinkedHashMap<>(symbols));
    }

    private static Map<String, Double> builtInCaps() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("headers", 8.0);
        m.put("mime_types", 10.0);
        m.put("subject", 6.0);
        m.put("url", 9.0);
        m.put("phishing", 10.0);
        return m;
    }

    public static GroupsSettings from(ConfigSource config) {
        return from(config.section("groups"), config);
    }

    public static GroupsSettings from(UclObject section, ConfigSource config) {
        section = Sections.unwrap(section, "groups");
        Map<String, Double> caps = builtInCaps();
        Map<String, SymbolOverride> symbols = new LinkedHashMap<>();
        section.warnUnknown("groups", Set.of("group", "symbols", "symbol"), config::warn);
        for (Map.Entry<String, UclObject> g : section.getNamedSections("group").entrySet()) {
            String group = g.getKey();
            UclObject body = g.getValue();
            body.warnUnknown("group \"" + group + "\"", GROUP_KEYS, config::warn);
            if (body.has("max_score")) {
                var v = body.getScalar("max_score").orElseThrow();
                if (v.isNull()) {
                    caps.remove(group);
                } else {
                    caps.put(group, v.asDouble());
                }
            }
            body.getObject("symbols").ifPresent(s -> readSymbols(s, group, symbols, config));
        }
        // symbols outside any group (Rspamd's metric-level "symbols { }")
        section.getObject("symbols").ifPresent(s -> readSymbols(s, null, symbols, config));
        return new GroupsSettings(caps, symbols);
    }

    private static void readSymbols(UclObject s, String group, Map<String, SymbolOverride> out, ConfigSource config) {
        for (String name : s.keys()) {
            for (UclValue v : s.getAll(name)) {
                if (!(v instanceof UclObject sym)) {
                    config.warn(v.position() + ": symbol \"" + name + "\" must be a section { weight = ...; } (ignored)");
                    continue;
                }
                sym.warnUnknown("symbol \"" + name + "\"", SYMBOL_KEYS, config::warn);
                Double weight = sym.getScalar("weight").or(() -> sym.getScalar("score"))
                        .filter(x -> !x.isNull()).map(x -> x.asDouble()).orElse(null);
                String description = sym.getString("description", null);
                SymbolOverride previous = out.get(name);
                if (previous != null) {
                    weight = weight == null ? previous.weight() : weight;
                    description = description == null ? previous.description() : description;
                    group = group == null ? previous.group() : group;
                }
                out.put(name, new SymbolOverride(weight, description, group));
            }
        }
    }

    public Optional<Double> maxScore(String group) {
        return Optional.ofNullable(groupMaxScore.get(group));
    }
}
