package org.mailsift.scanner.rules;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.mailsift.core.message.ParsedMessage;

/**
 * MIME structure: content types (Rspamd's mime_types module with the stock map's non-neutral entries; every other
 * type counts as neutral), HTML-only messages, attachments, broken Content-Type and other parse damage.
 */
public final class MimeStructureRules implements Rule {
    /** Rspamd's maps.d/mime_types.inc entries that are not neutral: negative is good, positive is bad. */
    private static final Map<String, Integer> TYPE_SCORES = Map.ofEntries(
            Map.entry("multipart/alternative", -1), Map.entry("multipart/mixed", -1),
            Map.entry("multipart/related", -1), Map.entry("text/plain", -1),
            Map.entry("multipart/encrypted", -2), Map.entry("multipart/signed", -2),
            Map.entry("multipart/appledouble", 2), Map.entry("multipart/byteranges", 2),
            Map.entry("multipart/example", 2), Map.entry("multipart/form-data", 2),
            Map.entry("multipart/header-set", 2), Map.entry("multipart/voice-message", 2),
            Map.entry("multipart/x-mixed-replace", 2));

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MIME_GOOD", "mime_types", -0.1, "Known content-type"),
                Symbols.def("MIME_BAD", "mime_types", 1.0, "Known bad content-type"),
                Symbols.def("MIME_TRACE", "mime_types", 0.0, "Content types of the message parts"),
                Symbols.def("MIME_HTML_ONLY", "headers", 0.2, "Message has only an HTML part"),
                Symbols.def("HAS_ATTACHMENT", "body", 0.0, "Message contains attachments"),
                Symbols.def("BROKEN_CONTENT_TYPE", "headers", 1.5, "Message has part with broken content type"),
                Symbols.def("MIME_PARSE_DAMAGE", "headers", 0.5,
                        "Message structure is damaged (mailsift: truncated, limits hit, bad encodings)"));
    }

    @Override
    public void check(ScanContext ctx) {
        ParsedMessage m = ctx.message();
        for (ParsedMessage.Part p : m.parts()) {
            Integer v = TYPE_SCORES.get(p.contentType());
            String trace;
            if (v == null || v == 0) {
                trace = "~";
            } else if (v < 0) {
                ctx.insert("MIME_GOOD", -v, List.of(p.contentType()));
                trace = "+";
            } else {
                ctx.insert("MIME_BAD", v, List.of(p.contentType()));
                trace = "-";
            }
            ctx.insert("MIME_TRACE", 0.0, List.of(p.id() + ":" + trace));
        }
        List<ParsedMessage.TextPart> text = m.textParts();
        if (text.size() == 1 && text.get(0).isHtml()) {
            ctx.insert("MIME_HTML_ONLY");
        }
        if (m.parts().size() > 1 && m.parts().stream().anyMatch(p -> "attachment".equals(p.disposition()))) {
            ctx.insert("HAS_ATTACHMENT");
        }
        if (m.parts().stream().anyMatch(ParsedMessage.Part::broken)) {
            ctx.insert("BROKEN_CONTENT_TYPE");
        }
        TreeSet<String> damage = new TreeSet<>(m.damage());
        damage.remove("broken content type");
        if (!damage.isEmpty()) {
            ctx.insert("MIME_PARSE_DAMAGE", 1.0, List.copyOf(damage));
        }
    }
}
