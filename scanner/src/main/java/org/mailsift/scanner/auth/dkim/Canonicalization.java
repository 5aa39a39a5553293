package org.mailsift.scanner.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** DKIM's two canonicalization algorithms (RFC 6376 section 3.4), for header fields and for the body. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    public static Canonicalization of(String name) throws TagList.MalformedTagsException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new TagList.MalformedTagsException("unknown canonicalization " + name);
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One header field (as written, no final CRLF) canonicalized, with the CRLF that ends it. */
    public String header(String field) {
        if (this == SIMPLE) {
            return field + "\r\n";
        }
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        return name + ':' + relaxedValue(field.substring(colon + 1)) + "\r\n";
    }

    /** Unfolds, turns every run of white space into one space and trims both ends. */
    static String relaxedValue(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && sb.length() > 0) {
                sb.append(' ');
            }
            space = false;
            sb.append(c);
        }
        return sb.toString();
    }

    /** The canonical body (input has CRLF line endings). */
    public byte[] body(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2);
        int pendingEmptyLines = 0;
        int start = 0;
        boolean any = false;
        while (start < body.length) {
            int end = indexOfCrlf(body, start);
            int lineEnd = end < 0 ? body.length : end;
            int next = end < 0 ? body.length : end + 2;
            int from = start;
            int to = lineEnd;
            if (this == RELAXED) {
                while (to > from && (body[to - 1] == ' ' || body[to - 1] == '\t')) {
                    to--;
                }
            }
            if (to == from) {
                pendingEmptyLines++; // empty lines count only when something follows them
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                    out.write('\r');
                    out.write('\n');
                }
                if (this == RELAXED) {
                    boolean space = false;
                    for (int i = from; i < to; i++) {
                        byte b = body[i];
                        if (b == ' ' || b == '\t') {
                            space = true;
                            continue;
                        }
                        if (space) {
                            out.write(' ');
                            space = false;
                        }
                        out.write(b);
                    }
                } else {
                    out.write(body, from, to - from);
                }
                out.write('\r');
                out.write('\n');
                any = true;
            }
            start = next;
        }
        if (!any && this == SIMPLE) {
            return new byte[] {'\r', '\n'};
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
