package org.mailsift.scanner.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Message-ID presence, syntax and relation to the From domain (Rspamd's regexp/headers.lua and rules/mid.lua). */
public final class MessageIdRules implements Rule {
    private static final Pattern SANE = Pattern.compile("^<?[^<>\\\\ \\t\\n\\r\\x0b\\x80-\\x{10FFFF}]+@"
            + "[^<>\\\\ \\t\\n\\r\\x0b\\x80-\\x{10FFFF}]+>?\\s*$");
    private static final Pattern COMMENT = Pattern.compile("\\(.*\\)");
    private static final Pattern RHS = Pattern.compile("@([^>]+)>?$");

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MISSING_MID", "headers", 2.5, "Message-ID header is missing"),
                Symbols.def("INVALID_MSGID", "headers", 1.7, "Message-ID header is incorrect"),
                Symbols.def("MID_CONTAINS_FROM", "mid", 1.0, "Message-ID contains From address"),
                Symbols.def("MID_RHS_MATCH_FROM", "mid", 0.0, "Message-ID RHS matches From domain"));
    }

    @Override
    public void check(ScanContext ctx) {
        List<String> mids = ctx.message().headerValues("Message-ID");
        if (mids.isEmpty()) {
            ctx.insert("MISSING_MID");
            return;
        }
        String mid = mids.get(0).strip();
        if (mid.length() > 998) {
            mid = mid.substring(0, 998);
        }
        if (!SANE.matcher(mid).matches() && !COMMENT.matcher(mid).find()) {
            ctx.insert("INVALID_MSGID");
        }
        List<String> fromRaw = Symbols.raw(ctx, "From");
        if (fromRaw.isEmpty()) {
            return;
        }
        List<MailAddress> from = MailAddress.parseList(fromRaw.get(0));
        if (from.isEmpty() || from.get(0).domain().isEmpty()) {
            return;
        }
        String fd = from.get(0).domain();
        Matcher m = RHS.matcher(mid);
        String md = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
        if (mid.toLowerCase(Locale.ROOT).contains(from.get(0).addr().toLowerCase(Locale.ROOT))) {
            ctx.insert("MID_CONTAINS_FROM");
        } else if (fd.equals(md)) {
            ctx.insert("MID_RHS_MATCH_FROM");
        }
    }
}
