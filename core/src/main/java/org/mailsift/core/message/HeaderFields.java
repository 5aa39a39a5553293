package org.mailsift.core.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.mail.internet.MimeUtility;

/** Splits a header block into fields: unfolds, bounds line length and count, decodes RFC 2047 words. */
final class HeaderFields {
    private HeaderFields() {
    }

    /** Parsed header block and where the body starts. */
    record Block(List<ParsedMessage.Header> headers, int bodyStart) {
    }

    static Block parse(byte[] b, int start, int end, ParseLimits limits, Set<String> damage) {
        List<ParsedMessage.Header> headers = new ArrayList<>();
        int pos = start;
        String name = null;
        StringBuilder value = null;
        boolean truncatedValue = false;
        while (pos < end) {
            int eol = indexOf(b, (byte) '\n', pos, end);
            int lineEnd = eol < 0 ? end : eol;
            int next = eol < 0 ? end : eol + 1;
            int contentEnd = lineEnd > pos && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd == pos) {
                // empty line: end of the header block
                flush(headers, name, value, limits, damage);
                return new Block(headers, next);
            }
            byte first = b[pos];
            if ((first == ' ' || first == '\t') && name != null) {
                if (value.length() < limits.maxHeaderLine()) {
                    appendLatin(value, b, pos, Math.min(contentEnd, pos + limits.maxHeaderLine() - value.length()));
                } else if (!truncatedValue) {
                    truncatedValue = true;
                    damage.add("long header line");
                }
            } else {
                flush(headers, name, value, limits, damage);
                name = null;
                value = null;
                truncatedValue = false;
                int colon = indexOf(b, (byte) ':', pos, contentEnd);
                if (colon <= pos || !isFieldName(b, pos, colon)) {
                    if (headers.isEmpty() && pos == start && !looksLikeHeader(b, pos, contentEnd)) {
                        // no header block at all: the whole entity is body
                        damage.add("missing headers");
                        return new Block(headers, start);
                    }
                    damage.add("bad header line");
                } else {
                    int nameEnd = colon;
                    while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                        nameEnd--;
                    }
                    name = new String(b, pos, nameEnd - pos, StandardCharsets.ISO_8859_1);
                    value = new StringBuilder(Math.min(contentEnd - colon, 256));
                    int valueEnd = contentEnd;
                    if (valueEnd - (colon + 1) > limits.maxHeaderLine()) {
                        valueEnd = colon + 1 + limits.maxHeaderLine();
                        truncatedValue = true;
                        damage.add("long header line");
                    }
                    appendLatin(value, b, colon + 1, valueEnd);
                }
            }
            pos = next;
        }
        flush(headers, name, value, limits, damage);
        return new Block(headers, end);
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

    static String decodeWords(String raw) {
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

    static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
