package org.mailsift.scanner.rules;

import java.util.List;

/** Headers every legitimate message carries (Rspamd's regexp/headers.lua and headers_checks.lua). */
public final class MissingHeaderRules implements Rule {
    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MISSING_TO", "headers", 2.0, "To header is missing"),
                Symbols.def("MISSING_SUBJECT", "headers", 2.0, "Subject header is missing"),
                Symbols.def("MISSING_FROM", "headers", 2.0, "Missing From header"));
    }

    @Override
    public void check(ScanContext ctx) {
        if (!Symbols.has(ctx, "Message-ID")) {
            ctx.insert("MISSING_MID");
        }
        if (!Symbols.has(ctx, "To")) {
            ctx.insert("MISSING_TO");
        }
        if (!Symbols.has(ctx, "Subject")) {
            ctx.insert("MISSING_SUBJECT");
        }
        if (ctx.message().firstHeader("From").map(String::isBlank).orElse(true)) {
            ctx.insert("MISSING_FROM");
        }
    }
}
