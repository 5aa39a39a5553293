package org.mailsift.scanner.rules;

import java.util.List;

/** The From header against itself and the envelope sender (Rspamd's CHECK_FROM and MULTIPLE_FROM). */
public final class FromRules implements Rule {
    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MULTIPLE_FROM", "headers", 8.0, "Multiple addresses in From header"),
                Symbols.def("FROM_HAS_DN", "headers", 0.0, "From header has a display name"),
                Symbols.def("FROM_NEQ_ENVFROM", "headers", 0.0, "From address is different to the envelope"),
                Symbols.def("FROM_EQ_ENVFROM", "headers", 0.0, "From address is the same as the envelope"));
    }

    @Override
    public void check(ScanContext ctx) {
        List<String> raw = Symbols.raw(ctx, "From");
        if (raw.isEmpty()) {
            return;
        }
        // like Rspamd's mime From list: the addresses of every From header
        List<MailAddress> from = new java.util.ArrayList<>();
        for (String h : raw) {
            from.addAll(MailAddress.parseList(h));
        }
        if (from.isEmpty()) {
            return;
        }
        if (from.size() > 1) {
            ctx.insert("MULTIPLE_FROM", 1.0, from.stream().map(MailAddress::raw).toList());
        }
        MailAddress first = from.get(0);
        if (first.hasName() && !first.name().equalsIgnoreCase(first.addr())) {
            ctx.insert("FROM_HAS_DN");
        }
        String envFrom = ctx.envelope().mailFrom();
        if (envFrom != null) {
            if (envFrom.equalsIgnoreCase(first.addr())) {
                ctx.insert("FROM_EQ_ENVFROM");
            } else if (!envFrom.isEmpty()) {
                ctx.insert("FROM_NEQ_ENVFROM", 1.0, List.of(first.addr(), envFrom));
            }
        }
    }
}
