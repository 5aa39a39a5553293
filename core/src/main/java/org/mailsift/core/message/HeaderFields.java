package org.mailsift.core.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.mail.internet.MimeUtility;

/**
 * The one place a header block is split into fields: {@link #split} finds each field's raw extent (folded lines
 * included) for every reader -- the scanner's parser ({@link #parse}: unfolds, bounds line length and count,
 * decodes RFC 2047 words), the verdict applier (HeaderRewriter) and Sieve delivery's message.
 */
public final class HeaderFields {
    private HeaderFields() {
    }

    /**
     * One field as it stands in the message: {@code raw[from, to)} is every line of it, folding and line endings
     * included. {@code name} is the text before the first colon of its first line, stripped; "" when there is none.
     */
    public record RawField(String name, int from, int to) {
    }

    /**
     * A split header block.
     *
     * @param fields    the fields in order
     * @param separator where the empty line ending the block starts, or the end when there is none
     * @param bodyStart where the body starts (after the empty line), or the end
     */
    public record RawBlock(List<RawField> fields, int separator, int bodyStart) {
        public boolean hasSeparator() {
            return bodyStart > separator;
        }
    }

    /** Splits {@code b[start, end)}: lines starting with a space or tab continue the field before them. */
    public static RawBlock split(byte[] b, int start, int end) {
        List<RawField> fields = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            int eol = indexOf(b, (byte) '\n', pos, end);
            int next = eol < 0 ? end : eol + 1;
            int lineEnd = eol < 0 ? end : eol;
            int contentEnd = lineEnd > pos && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd == pos) {
                return new RawBlock(fields, pos, next);
            }
            byte first = b[pos];
            if ((first == ' ' || first == '\t') && !fields.isEmpty()) {
                RawField last = fields.get(fields.size() - 1);
                fields.set(fields.size() - 1, new RawField(last.name(), last.from(), next));
            } else {
                int colon = indexOf(b, (byte) ':', pos, contentEnd);
                String name = colon < 0 ? "" : new String(b, pos, colon - pos, StandardCharsets.ISO_8859_1).strip();
                fields.add(new RawField(name, pos, next));
            }
            pos = next;
        }
        return new RawBlock(fields, end, end);
    }

    /** Parsed header block and where the body starts. */
    record Block(List<ParsedMessage.Header> headers, int bodyStart) {
    }

    static Block parse(byte[] b, int start, int end, ParseLimits limits, Set<String> damage) {
        RawBlock block = split(b, start, end);
        List<ParsedMessage.Header> headers = new ArrayList<>();
        for (RawField f : block.fields()) {
            int eol = indexOf(b, (byte) '\n', f.from(), f.to());
            int lineEnd = eol < 0 ? f.to() : eol;
            int contentEnd = lineEnd > f.from() && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int colon = indexOf(b, (byte) ':', f.from(), contentEnd);
            if (colon <= f.from() || !isFieldName(b, f.from(), colon)) {
                if (headers.isEmpty() && f.from() == start && !looksLikeHeader(b, f.from(), contentEnd)) {
                    // no header block at all: the whole entity is body
                    damage.add("missing headers");
                    return new Block(headers, start);
                }
                damage.add("bad header line");
                continue;
            }
            int nameEnd = colon;
            while (nameEnd > f.from() && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            String name = new String(b, f.from(), nameEnd - f.from(), StandardCharsets.ISO_8859_1);
            StringBuilder value = new StringBuilder(Math.min(contentEnd - colon, 256));
            boolean truncated = false;
            int valueEnd = contentEnd;
            if (valueEnd - (colon + 1) > limits.maxHeaderLine()) {
                valueEnd = colon + 1 + limits.maxHeaderLine();
                truncated = true;
                damage.add("long header line");
            }
            appendLatin(value, b, colon + 1, valueEnd);
            // folded lines: each appended without its line ending
            for (int pos = eol < 0 ? f.to() : eol + 1; pos < f.to(); ) {
                int e = indexOf(b, (byte) '\n', pos, f.to());
                int le = e < 0 ? f.to() : e;
                int ce = le > pos && b[le - 1] == '\r' ? le - 1 : le;
                if (value.length() < limits.maxHeaderLine()) {
                    appendLatin(value, b, pos, Math.min(ce, pos + limits.maxHeaderLine() - value.length()));
                } else if (!truncated) {
                    truncated = true;
                    damage.add("long header line");
                }
                pos = e < 0 ? f.to() : e + 1;
            }
            flush(headers, name, value, limits, damage);
        }
        return new Block(headers, block.bodyStart());
    }

    private static boolean looksLikeHeader(byte[] b, int from, int to) {
        return indexOf(b, (byte) ':', from, to) > from;
    }

    private static boolean isFieldName(byte[] b, int from, int to) {
        int end = to;
        while (end > from && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        if (end == from) {
            return false;
        }
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xff;
            if (c <= 32 || c >= 127) {
                return false;
            }
        }
        return true;
    }

    private static void flush(List<ParsedMessage.Header> headers, String name, StringBuilder value, ParseLimits limits,
                              Set<String> damage) {
        if (name == null) {
            return;
        }
        if (headers.size() >= limits.maxHeaders()) {
            damage.add("too many headers");
            return;
        }
        String raw = toText(value).strip();
        headers.add(new ParsedMessage.Header(name, decodeWords(raw), raw));
    }

    /** Header bytes are ISO-8859-1 chars at first; re-read them as UTF-8 when they form valid UTF-8 (common in spam). */
    private static String toText(StringBuilder latin) {
        boolean ascii = true;
        for (int i = 0; i < latin.length(); i++) {
            char c = latin.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            if (c == 0) {
                latin.setCharAt(i, ' ');
            }
        }
        if (ascii) {
            return latin.toString();
        }
        byte[] bytes = latin.toString().getBytes(StandardCharsets.ISO_8859_1);
        return Charsets.decodeUtf8OrLatin(bytes, 0, bytes.length);
    }

    /** RFC 2047 encoded words decoded (jakarta.mail's MimeUtility); the value as it is when they do not decode. */
    public static String decodeWords(String raw) {
        if (raw.indexOf("=?") < 0) {
            return raw;
        }
        try {
            return MimeUtility.decodeText(raw);
        } catch (Exception | StackOverflowError e) {
            return raw;
        }
    }

    private static void appendLatin(StringBuilder sb, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            sb.append((char) (b[i] & 0xff));
        }
    }

    public static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
