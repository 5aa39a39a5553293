package org.mailsift.scanner.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message split into its header fields exactly as written (folding kept) and its body, with every line ending
 * made CRLF, which is what DKIM and ARC hash (a message read from a file or handed over with bare LF still verifies,
 * as in Rspamd and dkimpy). Text is kept as ISO-8859-1 so that each char is one byte of the original.
 */
public final class RawMessage {
    /** One header field: its name and the whole field as written, "Name: value" with folding, no final CRLF. */
    public record Field(String name, String text) {
        public String lowerName() {
            return name.toLowerCase(Locale.ROOT);
        }

        /** The value after the colon, folding kept. */
        public String value() {
            return text.substring(text.indexOf(':') + 1);
        }
    }

    private final byte[] raw;
    private final int headEnd;
    private final int bodyStart;
    private volatile List<Field> fields;
    private volatile int[] lineStarts;
    private volatile byte[] body;

    private RawMessage(byte[] raw, int headEnd, int bodyStart) {
        this.raw = raw;
        this.headEnd = headEnd;
        this.bodyStart = bodyStart;
    }

    /**
     * Splits at the first empty line (LF or CRLF endings, mixed). Nothing is copied here: the header fields are
     * split (made CRLF) when first asked for, the body when DKIM or ARC first hashes it, and asking for fields of a
     * name no line starts with copies nothing, so a message without signatures costs one scan of its header.
     */
    public static RawMessage parse(byte[] raw) {
        int headEnd; // exclusive end of the header section in raw (after the last field's line ending)
        int bodyStart;
        if (raw.length > 0 && raw[0] == '\n') {
            headEnd = 0;
            bodyStart = 1;
        } else if (raw.length > 1 && raw[0] == '\r' && raw[1] == '\n') {
            headEnd = 0;
            bodyStart = 2;
        } else {
            headEnd = raw.length;
            bodyStart = raw.length;
            for (int i = 1; i < raw.length; i++) {
                if (raw[i] != '\n') {
                    continue;
                }
                // an empty line: this LF ends a line that is empty or holds a lone CR after the previous LF
                if (raw[i - 1] == '\n') {
                    headEnd = i;
                    bodyStart = i + 1;
                    break;
                }
                if (raw[i - 1] == '\r' && i >= 2 && raw[i - 2] == '\n') {
                    headEnd = i - 1;
                    bodyStart = i + 1;
                    break;
                }
            }
        }
        return new RawMessage(raw, headEnd, bodyStart);
    }

    private static List<Field> splitFields(byte[] raw, int headEnd) {
        String head = crlf(new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1));
        if (head.startsWith("From ")) { // an mbox separator line is not a header field
            int nl = head.indexOf("\r\n");
            head = nl < 0 ? "" : head.substring(nl + 2);
        }
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        int pos = 0;
        while (pos <= head.length()) {
            int eol = head.indexOf("\r\n", pos);
            String line = head.substring(pos, eol < 0 ? head.length() : eol);
            pos = eol < 0 ? head.length() + 1 : eol + 2;
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
                continue;
            }
            addField(fields, current);
            current = line.isEmpty() ? null : new StringBuilder(line);
        }
        addField(fields, current);
        return List.copyOf(fields);
    }

    private static void addField(List<Field> fields, StringBuilder current) {
        if (current == null) {
            return;
        }
        String text = current.toString();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return; // not a header field (garbage line): nothing can sign it
        }
        fields.add(new Field(text.substring(0, colon).strip(), text));
    }

    /** Every LF not preceded by CR becomes CRLF. */
    static String crlf(String s) {
        if (s.indexOf('\n') < 0) {
            return s;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r')) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 256).append(s, 0, i);
                }
                sb.append('\r');
            }
            if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** {@code raw[from..]} with every LF not preceded by CR made CRLF (a copy). */
    static byte[] crlf(byte[] raw, int from) {
        int bare = 0;
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == from || raw[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return java.util.Arrays.copyOfRange(raw, from, raw.length);
        }
        byte[] out = new byte[raw.length - from + bare];
        int o = 0;
        for (int i = from; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == from || raw[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = b;
        }
        return out;
    }

    public List<Field> fields() {
        List<Field> f = fields;
        if (f == null) {
            f = splitFields(raw, headEnd);
            fields = f;
        }
        return f;
    }

    /** Fields with this name (case-insensitive), top first. */
    public List<Field> fields(String name) {
        if (fields == null && !someLineStartsWith(name)) {
            return List.of();
        }
        List<Field> out = new ArrayList<>();
        for (Field f : fields()) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Whether a line of the header section starts with {@code name} (ASCII, any case) after optional white space: a
     * cheap test that can say yes wrongly (a folded line), never no wrongly.
     */
    private boolean someLineStartsWith(String name) {
        int[] starts = lineStarts();
        int n = name.length();
        for (int start : starts) {
            int p = start;
            while (p < headEnd && (raw[p] == ' ' || raw[p] == '\t')) {
                p++;
            }
            if (p + n > headEnd) {
                continue;
            }
            boolean same = true;
            for (int k = 0; k < n && same; k++) {
                int a = raw[p + k] & 0xff;
                int b = name.charAt(k);
                same = a == b || (a | 0x20) == (b | 0x20) && (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /** Where the header section's lines start (found once: DKIM and ARC ask for four names). */
    private int[] lineStarts() {
        int[] s = lineStarts;
        if (s == null) {
            int count = headEnd > 0 ? 1 : 0;
            for (int i = 0; i < headEnd - 1; i++) {
                if (raw[i] == '\n') {
                    count++;
                }
            }
            s = new int[count];
            int k = 0;
            if (headEnd > 0) {
                s[k++] = 0;
            }
            for (int i = 0; i < headEnd - 1; i++) {
                if (raw[i] == '\n') {
                    s[k++] = i + 1;
                }
            }
            lineStarts = s;
        }
        return s;
    }

    /** The message as received (line endings LF or CRLF); the body starts at {@link #bodyStart()}. Not a copy. */
    public byte[] source() {
        return raw;
    }

    public int bodyStart() {
        return bodyStart;
    }

    /** The body with CRLF line endings (converted on first use). */
    public byte[] body() {
        byte[] b = body;
        if (b == null) {
            b = crlf(raw, bodyStart);
            body = b;
        }
        return b;
    }

    /** The whole message again (CRLF), e.g. after fields were added in front. */
    public byte[] toBytes(List<String> prependedFields) {
        StringBuilder sb = new StringBuilder();
        for (String f : prependedFields) {
            sb.append(f).append("\r\n");
        }
        for (Field f : fields) {
            sb.append(f.text()).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = body();
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
