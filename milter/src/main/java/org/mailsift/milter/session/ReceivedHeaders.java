package org.mailsift.milter.session;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of the current message in the order the MTA sent them. Kept to rebuild the message for the scanner and
 * to count instances per name, which CHGHEADER indexes refer to.
 */
public final class ReceivedHeaders {
    private final List<String[]> headers = new ArrayList<>();
    private long bytes;
    private int count;

    void add(String name, String value) {
        headers.add(new String[] {name, value});
        countOnly(name, value);
    }

    /** A header of a message too big to scan: its size and number matter, its text is not kept. */
    void countOnly(String name, String value) {
        bytes += name.length() + value.length() + 4L;
        count++;
    }

    /** Characters of header text held in memory (names and values kept), for tests and diagnostics. */
    long keptChars() {
        long n = 0;
        for (String[] h : headers) {
            n += h[0].length() + h[1].length();
        }
        return n;
    }

    /** Drops the kept text (the message became too big to scan); sizes and the count stay. */
    void forgetText() {
        headers.clear();
    }

    /** Headers seen for the current message, kept or only counted. */
    int count() {
        return count;
    }

    void clear() {
        headers.clear();
        bytes = 0;
        count = 0;
    }

    /** The size these headers take in the rebuilt message. */
    long bytes() {
        return bytes;
    }

    public int size() {
        return headers.size();
    }

    /** Instances per lower-cased header name. */
    public Map<String, Integer> countsByName() {
        Map<String, Integer> counts = new HashMap<>();
        for (String[] h : headers) {
            counts.merge(h[0].toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The header block as the scanner sees it: {@code Name: value\r\n} per header and the empty line. The MTA strips the
     * space after the colon and may send folded values with bare LF; both are restored to wire form. Bytes are
     * ISO-8859-1 so 8-bit header bytes pass unchanged.
     */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, bytes + 2));
        for (String[] h : headers) {
            out.writeBytes(h[0].getBytes(StandardCharsets.ISO_8859_1));
            out.write(':');
            out.write(' ');
            String v = h[1];
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\n' && (i == 0 || v.charAt(i - 1) != '\r')) {
                    out.write('\r');
                }
                out.write((byte) c);
            }
            out.write('\r');
            out.write('\n');
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
