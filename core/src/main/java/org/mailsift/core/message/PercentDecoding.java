package org.mailsift.core.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** %HH escapes (UTF-8), as a browser decodes them in a host name. Bad escapes stay as written. */
final class PercentDecoding {
    private PercentDecoding() {
    }

    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 2;
            } else {
                flush(out, sb);
                sb.append(c);
            }
        }
        flush(out, sb);
        return sb.toString();
    }

    private static void flush(ByteArrayOutputStream out, StringBuilder sb) {
        if (out.size() > 0) {
            sb.append(out.toString(StandardCharsets.UTF_8));
            out.reset();
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
