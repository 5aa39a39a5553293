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

    private final List<Field> fields;
    private final byte[] body;

    private RawMessage(List<Field> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
    }

    public static RawMessage parse(byte[] raw) {
        String s = crlf(raw);
        int end = s.indexOf("\r\n\r\n");
        String head;
        String body;
        if (s.startsWith("\r\n")) {
            head = "";
            body = s.substring(2);
        } else if (end < 0) {
            head = s;
            body = "";
        } else {
            head = s.substring(0, end + 2);
            body = s.substring(end + 4);
        }
        if (head.startsWith("From ")) { // an mbox separator line is not a header field
            int nl = head.indexOf("\r\n");
            head = nl < 0 ? "" : head.substring(nl + 2);
        }
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : head.split("\r\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
                continue;
            }
            addField(fields, current);
            current = line.isEmpty() ? null : new StringBuilder(line);
        }
        addField(fields, current);
        return new RawMessage(List.copyOf(fields), body.getBytes(StandardCharsets.ISO_8859_1));
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
    static String crlf(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
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

    public List<Field> fields() {
        return fields;
    }

    /** Fields with this name (case-insensitive), top first. */
    public List<Field> fields(String name) {
        List<Field> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The body with CRLF line endings. */
    public byte[] body() {
        return body;
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
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
