package org.mailsift.scanner.regexp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import org.mailsift.core.message.ParsedMessage;

/**
 * The texts of one message that regexps run over, each computed once per scan on first use and cut to
 * {@code max_size} characters (Rspamd's regexp max_size), so 50 rules over the body decode it once.
 */
final class MessageTexts {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");

    private final ParsedMessage message;
    private final int maxSize;
    private final Map<RegexpType, List<String>> byType = new EnumMap<>(RegexpType.class);

    MessageTexts(ParsedMessage message, int maxSize) {
        this.message = message;
        this.maxSize = maxSize;
    }

    ParsedMessage message() {
        return message;
    }

    /** The header values a header regexp runs over. */
    List<String> header(RegexpType type, String name, boolean caseSensitive) {
        List<String> out = new ArrayList<>();
        for (ParsedMessage.Header h : message.headers()) {
            if (caseSensitive ? h.name().equals(name) : h.name().equalsIgnoreCase(name)) {
                out.add(cut(type == RegexpType.RAW_HEADER ? h.rawValue() : h.value()));
            }
        }
        return out;
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
            case RAW_MIME, SA_RAW_BODY -> message.textParts().forEach(p -> out.add(cut(p.isHtml() ? p.html() : p.text())));
            case SA_BODY -> {
                out.add(message.subject().orElse(""));
                message.textParts().forEach(p -> out.add(cut(p.text()).replaceAll("\\s*\\R\\s*", " ")));
            }
            case URL -> message.urls().stream().filter(u -> !u.regionMatches(true, 0, "mailto:", 0, 7))
                    .forEach(u -> out.add(cut(u)));
            case EMAIL -> {
                for (String t : texts(RegexpType.MIME)) {
                    Matcher m = EMAIL.matcher(t);
                    while (m.find()) {
                        out.add(m.group());
                    }
                }
            }
            case HEADER, RAW_HEADER -> throw new IllegalArgumentException("header texts need a header name");
        }
        return out;
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
