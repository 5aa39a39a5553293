package org.mailsift.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a value back as UCL that {@link UclParser} reads to the same value: {@code key = value;} lines, sections
 * in braces indented by four spaces, a key repeated for each value it holds. Used by {@code mailsift configdump}.
 */
public final class UclWriter {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]*");

    private UclWriter() {
    }

    /** The entries of {@code object} at the top level (no surrounding braces). */
    public static String write(UclObject object) {
        StringBuilder sb = new StringBuilder();
        writeEntries(object, 0, sb);
        return sb.toString();
    }

    private static void writeEntries(UclObject object, int depth, StringBuilder sb) {
        for (Map.Entry<String, List<UclValue>> e : object.entries().entrySet()) {
            for (UclValue v : e.getValue()) {
                indent(depth, sb);
                sb.append(key(e.getKey()));
                if (v instanceof UclObject o) {
                    sb.append(" {\n");
                    writeEntries(o, depth + 1, sb);
                    indent(depth, sb);
                    sb.append("}\n");
                } else {
                    sb.append(" = ");
                    writeValue(v, depth, sb);
                    sb.append(";\n");
                }
            }
        }
    }

    private static void writeValue(UclValue v, int depth, StringBuilder sb) {
        switch (v) {
            case UclScalar s -> sb.append(scalar(s.value()));
            case UclArray a -> {
                if (a.items().isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[\n");
                for (UclValue item : a.items()) {
                    indent(depth + 1, sb);
                    writeValue(item, depth + 1, sb);
                    sb.append(",\n");
                }
                indent(depth, sb);
                sb.append(']');
            }
            case UclObject o -> {
                sb.append("{\n");
                writeEntries(o, depth + 1, sb);
                indent(depth, sb);
                sb.append('}');
            }
        }
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Long l) {
            return Long.toString(l);
        }
        if (value instanceof Double d) {
            // keep a decimal point so the value reads back as a Double (e.g. a duration in seconds)
            return d == Math.rint(d) && !d.isInfinite() ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
        }
        return quote(value.toString());
    }

    private static void indent(int depth, StringBuilder sb) {
        sb.append("    ".repeat(depth));
    }

    private static String key(String key) {
        return BARE_KEY.matcher(key).matches() ? key : quote(key);
    }

    /** A double-quoted string; '$' is escaped so that variables are not expanded again on reading. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '$' -> sb.append("\\$");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
