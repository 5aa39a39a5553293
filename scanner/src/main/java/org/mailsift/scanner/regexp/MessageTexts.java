package org.mailsift.scanner.regexp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.message.PartBody;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * The texts of one message that regexps run over, each computed once per scan on first use and cut to
 * {@code max_size} characters (Rspamd's regexp max_size), so 50 rules over the body decode it once.
 */
final class MessageTexts {
    private final ParsedMessage message;
    private final int maxSize;
    private final Map<RegexpType, List<String>> byType = new EnumMap<>(RegexpType.class);
    private final SelectorInput selectorInput;
    private final Map<String, Selector> selectors;
    private final Map<String, List<String>> selectorValues = new java.util.HashMap<>();

    MessageTexts(ParsedMessage message, int maxSize) {
        this(SelectorInput.of(message, null), maxSize, Map.of());
    }

    /** @param selectors regexp.conf's selectors by name, which {@code name=/re/{selector}} regexps read */
    MessageTexts(SelectorInput selectorInput, int maxSize, Map<String, Selector> selectors) {
        this.message = selectorInput.message();
        this.maxSize = maxSize;
        this.selectorInput = selectorInput;
        this.selectors = selectors;
    }

    /**
     * The values of the selector {@code name} as Rspamd's regexp selectors give them (register_re_selector's defaults:
     * parts joined with no delimiter, a list-valued selector one value per element); none when it finds nothing.
     */
    List<String> selector(String name) {
        return selectorValues.computeIfAbsent(name, n -> {
            Selector s = selectors.get(n);
            return s == null ? List.of() : s.combine(selectorInput, "").stream().map(this::cut).toList();
        });
    }

    ParsedMessage message() {
        return message;
    }

    /**
     * The header values a header regexp runs over (not remembered: the caller keeps them per source). The header
     * list is read through with equalsIgnoreCase, which rejects most names by their length: cheaper for the dozen
     * names a rule set asks than indexing every field of the message by name.
     */
    List<String> header(RegexpType type, String name, boolean caseSensitive) {
        List<String> out = null;
        for (ParsedMessage.Header h : message.headers()) {
            if (caseSensitive ? h.name().equals(name) : h.name().equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(cut(type == RegexpType.RAW_HEADER ? h.rawValue() : h.value()));
            }
        }
        return out == null ? List.of() : out;
    }

    List<String> texts(RegexpType type) {
        return byType.computeIfAbsent(type, this::compute);
    }

    private List<String> compute(RegexpType type) {
        List<String> out = new ArrayList<>();
        switch (type) {
            case ALL_HEADER -> out.add(cut(headerBlock()));
            case BODY -> out.add(cut(new String(message.raw(), 0, Math.min(message.raw().length, maxSize),
                    StandardCharsets.UTF_8)));
            case MIME -> message.textParts().forEach(p -> out.add(cut(p.text())));
            // Rspamd's raw_mime: each text part's content before transfer decoding
            case RAW_MIME -> message.partBodies().stream().filter(MessageTexts::isText).forEach(p -> out.add(p.raw(maxSize)));
            case SA_RAW_BODY -> message.textParts().forEach(p -> out.add(cut(p.isHtml() ? p.html() : p.text())));
            case SA_BODY -> {
                out.add(message.subject().orElse(""));
                message.textParts().forEach(p -> out.add(joinLines(cut(p.text()))));
            }
            case URL -> message.urls().stream().filter(u -> !u.regionMatches(true, 0, "mailto:", 0, 7))
                    .forEach(u -> out.add(cut(u)));
            case EMAIL -> texts(RegexpType.MIME).forEach(t -> emails(t, out));
            case WORDS -> out.addAll(MessageWords.of(message, maxSize, true));
            case RAW_WORDS -> out.addAll(MessageWords.of(message, maxSize, false));
            case HEADER, RAW_HEADER -> throw new IllegalArgumentException("header texts need a header name");
            case SELECTOR -> throw new IllegalArgumentException("selector texts need a selector name");
        }
        return out;
    }

    /**
     * SpamAssassin's body: a line break and the blanks around it become one space. The lines between are copied
     * whole, found with indexOf (the text is most of a message: a copy per character cost more than the regexps).
     */
    static String joinLines(String text) {
        int lf = text.indexOf('\n');
        int cr = text.indexOf('\r');
        if (lf < 0 && cr < 0) {
            return text;
        }
        int len = text.length();
        StringBuilder sb = new StringBuilder(len);
        int from = 0;
        while (true) {
            int brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
            if (brk < 0) {
                return sb.append(text, from, len).toString();
            }
            int end = brk;
            while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
                end--; // a line's trailing blanks (the lines after the first start with a non-blank)
            }
            sb.append(text, from, end).append(' ');
            from = brk;
            while (from < len && Character.isWhitespace(text.charAt(from))) {
                from++; // the break, blank lines and the next line's leading blanks
            }
            if (lf >= 0 && lf < from) {
                lf = text.indexOf('\n', from);
            }
            if (cr >= 0 && cr < from) {
                cr = text.indexOf('\r', from);
            }
        }
    }

    /** The e-mail addresses in a text: around each '@', the characters addresses are made of. */
    static void emails(String text, List<String> out) {
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            while (start > 0 && isLocalChar(text.charAt(start - 1))) {
                start--;
            }
            int end = at + 1;
            while (end < text.length() && isDomainChar(text.charAt(end))) {
                end++;
            }
            while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
                end--;
            }
            String domain = text.substring(at + 1, end);
            if (start < at && domain.indexOf('.') > 0) {
                out.add(text.substring(start, end));
            }
        }
    }

    private static boolean isLocalChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "._%+-".indexOf(c) >= 0);
    }

    private static boolean isDomainChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-');
    }

    private static boolean isText(PartBody part) {
        return part.contentType().equals("text/plain") || part.contentType().equals("text/html");
    }

    /** The raw header block: the bytes up to the first empty line. */
    private String headerBlock() {
        byte[] raw = message.raw();
        int end = raw.length;
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                end = i + 1;
                break;
            }
        }
        return new String(raw, 0, Math.min(end, maxSize), StandardCharsets.UTF_8);
    }

    private String cut(String s) {
        return s == null ? "" : s.length() > maxSize ? s.substring(0, maxSize) : s;
    }
}
