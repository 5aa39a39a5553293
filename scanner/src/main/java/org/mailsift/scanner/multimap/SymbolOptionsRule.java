package org.mailsift.scanner.multimap;

import java.util.List;

import org.mailsift.scanner.SymbolTable;
import org.mailsift.scanner.rules.FinalRule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolHits;

/**
 * A multimap rule of type {@code symbol_options}: each option of the symbol {@code target_symbol}, when that symbol
 * was inserted, is looked up in the map (Rspamd registers the rule as depending on the target). It runs at the final
 * stage, after every other rule and network check, so the target's options are complete; composites, which run
 * after it, see what it inserts.
 */
final class SymbolOptionsRule extends MultimapRule implements FinalRule {
    SymbolOptionsRule(Spec spec, LiveMap map) {
        super(spec, map);
    }

    @Override
    public void check(ScanContext context) {
    }

    @Override
    public void finish(SymbolHits hits, SymbolTable symbols) {
        if (!(hits instanceof ScanContext ctx) || !hits.has(spec().targetSymbol())) {
            return;
        }
        MapData data = map().data();
        for (String option : List.copyOf(hits.options(spec().targetSymbol()))) {
            match(ctx, data, option);
        }
    }
}
