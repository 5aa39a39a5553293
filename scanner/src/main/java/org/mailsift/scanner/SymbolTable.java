package org.mailsift.scanner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.settings.GroupsSettings;

/** Every known symbol with its effective weight, group and description: rule defaults overridden by groups.conf. */
public final class SymbolTable {
    private final Map<String, SymbolDefinition> symbols = new LinkedHashMap<>();

    public SymbolTable(List<Rule> rules, GroupsSettings groups) {
        for (Rule r : rules) {
            for (SymbolDefinition d : r.symbols()) {
                symbols.put(d.name(), d);
            }
        }
        for (Map.Entry<String, GroupsSettings.SymbolOverride> e : groups.symbols().entrySet()) {
            SymbolDefinition base = symbols.get(e.getKey());
            GroupsSettings.SymbolOverride o = e.getValue();
            String group = o.group() != null ? o.group() : base != null ? base.group() : "";
            double weight = o.weight() != null ? o.weight() : base != null ? base.weight() : 0.0;
            String description = o.description() != null ? o.description() : base != null ? base.description() : "";
            symbols.put(e.getKey(), new SymbolDefinition(e.getKey(), group, weight, description));
        }
    }

    /** The definition, or a zero-weight one for a symbol nobody declared (Rspamd scores unknown symbols 0). */
    public SymbolDefinition get(String name) {
        SymbolDefinition d = symbols.get(name);
        return d != null ? d : new SymbolDefinition(name, "", 0.0, "");
    }

    public Map<String, SymbolDefinition> all() {
        return java.util.Collections.unmodifiableMap(symbols);
    }
}
