package org.mailsift.scanner.rules;

import java.util.List;

/** Reply-To against From (Rspamd's CHECK_REPLYTO). */
public final class ReplyToRules implements Rule {
    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("HAS_REPLYTO", "headers", 0.0, "Has Reply-To header"),
                Symbols.def("REPLYTO_UNPARSEABLE", "headers", 1.0, "Reply-To header could not be parsed"),
                Symbols.def("REPLYTO_EQ_FROM", "headers", 0.0, "Reply-To header is identical to From header"),
                Symbols.def("REPLYTO_ADDR_EQ_FROM", "headers", 0.0, "Reply-To is the same as the From address"),
                Symbols.def("REPLYTO_DOM_EQ_FROM_DOM", "headers", 0.0, "Reply-To domain matches the From domain"),
                Symbols.def("REPLYTO_DOM_NEQ_FROM_DOM", "headers", 0.0, "Reply-To domain does not match the From domain"));
    }

    @Override
    public void check(ScanContext ctx) {
        List<String> raw = Symbols.raw(ctx, "Reply-To");
        if (raw.isEmpty()) {
            return;
        }
        String replyTo = raw.get(0);
        List<MailAddress> rt = MailAddress.parseList(replyTo);
        if (rt.isEmpty() || rt.get(0).addr().isEmpty()) {
            ctx.insert("REPLYTO_UNPARSEABLE");
            return;
        }
        MailAddress r = rt.get(0);
        ctx.insert("HAS_REPLYTO", 1.0, List.of(r.addr()));
        List<String> fromRaw = Symbols.raw(ctx, "From");
        if (fromRaw.isEmpty()) {
            return;
        }
        List<MailAddress> from = MailAddress.parseList(fromRaw.get(0));
        if (from.isEmpty()) {
            return;
        }
        if (fromRaw.get(0).equals(replyTo)) {
            ctx.insert("REPLYTO_EQ_FROM");
            return;
        }
        MailAddress f = from.get(0);
        if (f.addr().equalsIgnoreCase(r.addr())) {
            ctx.insert("REPLYTO_ADDR_EQ_FROM");
        } else if (!f.domain().isEmpty() && !r.domain().isEmpty()) {
            ctx.insert(f.domain().equalsIgnoreCase(r.domain()) ? "REPLYTO_DOM_EQ_FROM_DOM" : "REPLYTO_DOM_NEQ_FROM_DOM");
        }
    }
}
