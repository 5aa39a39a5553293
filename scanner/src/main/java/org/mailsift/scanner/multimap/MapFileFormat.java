package org.mailsift.scanner.multimap;

import java.util.ArrayList;
import java.util.List;

/**
 * Rspamd's map file format: one {@code key [value]} a line; {@code #} starts a comment (a key may escape it as
 * {@code \#}); a key may be double-quoted (then it may hold spaces) or written {@code /regexp/flags} (then spaces and
 * {@code #} inside the slashes are part of it); the value is the rest of the line, stripped. Blank lines are skipped.
 */
final class MapFileFormat {
    private MapFileFormat() {
    }

    /** One entry of a map: its key, its value (null when the line has none) and its line number (1-based). */
    record Entry(String key, String value, int line) {
    }

    static List<Entry> parse(CharSequence text) {
        List<Entry> out = new ArrayList<>();
        int n = text.length();
        int lineNo = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            lineNo++;
            Entry e = line(text, start, end, lineNo);
            if (e != null) {
                out.add(e);
            }
            start = end + 1;
        }
        return out;
    }

    /** Parses one line (without its newline); null for a blank or comment line. */
    static Entry line(CharSequence s, int from, int to, int lineNo) {
        int p = from;
        while (p < to && isSpace(s.charAt(p))) {
            p++;
        }
        if (p >= to || s.charAt(p) == '#') {
            return null;
        }
        String key;
        char first = s.charAt(p);
        if (first == '"') {
            StringBuilder k = new StringBuilder();
            p++;
            while (p < to && s.charAt(p) != '"') {
                if (s.charAt(p) == '\\' && p + 1 < to) {
                    p++;
                }
                k.append(s.charAt(p++));
            }
            p++; // closing quote (or end of line)
            key = k.toString();
        } else {
            int k = p;
            if (first == '/') {
                // /regexp/flags: up to the closing unescaped slash, then the flags
                p++;
                while (p < to && s.charAt(p) != '/') {
                    p += s.charAt(p) == '\\' ? 2 : 1;
                }
                p = Math.min(p + 1, to);
            }
            while (p < to && !isSpace(s.charAt(p)) && !(s.charAt(p) == '#' && s.charAt(p - 1) != '\\')) {
                p++;
            }
            key = s.subSequence(k, p).toString();
            if (first != '/' && key.indexOf("\\#") >= 0) {
                key = key.replace("\\#", "#");
            }
        }
        while (p < to && isSpace(s.charAt(p))) {
            p++;
        }
        String value = null;
        if (p < to && s.charAt(p) != '#') {
            int v = p;
            while (p < to && s.charAt(p) != '#') {
                p++;
            }
            value = s.subSequence(v, p).toString().strip();
            if (value.isEmpty()) {
                value = null;
            }
        }
        return new Entry(key, value, lineNo);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
