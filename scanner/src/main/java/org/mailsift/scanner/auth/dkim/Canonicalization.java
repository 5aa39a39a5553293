package org.mailsift.scanner.auth.dkim;

import java.util.Arrays;
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
        return body(body, 0);
    }

    /**
     * The canonical body of {@code in[from..]}, whose lines may end in CRLF or a bare LF (read as CRLF, as Rspamd and
     * dkimpy do): one pass over the message as received, no CRLF copy first.
     */
    public byte[] body(byte[] in, int from) {
        byte[] out = new byte[in.length - from + 64];
        int o = 0;
        int pendingEmptyLines = 0;
        int start = from;
        boolean any = false;
        while (start < in.length) {
            int lf = indexOfLf(in, start);
            int lineEnd = lf < 0 ? in.length : lf > start && in[lf - 1] == '\r' ? lf - 1 : lf;
            int next = lf < 0 ? in.length : lf + 1;
            int to = lineEnd;
            if (this == RELAXED) {
                while (to > start && (in[to - 1] == ' ' || in[to - 1] == '\t')) {
                    to--;
                }
            }
            if (to == start) {
                pendingEmptyLines++; // empty lines count only when something follows them
            } else {
                int need = o + 2 * pendingEmptyLines + (to - start) + 2;
                if (need > out.length) {
                    out = Arrays.copyOf(out, Math.max(need, out.length + (out.length >> 1)));
                }
                for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                    out[o++] = '\r';
                    out[o++] = '\n';
                }
                if (this == RELAXED) {
                    boolean space = false;
                    for (int i = start; i < to; i++) {
                        byte b = in[i];
                        if (b == ' ' || b == '\t') {
                            space = true;
                            continue;
                        }
                        if (space) {
                            out[o++] = ' ';
                            space = false;
                        }
                        out[o++] = b;
                    }
                } else {
                    System.arraycopy(in, start, out, o, to - start);
                    o += to - start;
                }
                out[o++] = '\r';
                out[o++] = '\n';
                any = true;
            }
            start = next;
        }
        if (!any && this == SIMPLE) {
            return new byte[] {'\r', '\n'};
        }
        return Arrays.copyOf(out, o);
    }

    private static int indexOfLf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
