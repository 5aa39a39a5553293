package org.mailsift.core.message;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A structured header value such as Content-Type or Content-Disposition: the leading token (lower case) and its
 * parameters (names lower case). Tolerant: unterminated quotes, missing '=' and stray characters are skipped and
 * reported through {@link #broken()}. RFC 2231 continuations and charsets ({@code filename*0*=utf-8''...}) are joined
 * and decoded; RFC 2047 words in values are decoded as well (common in the wild).
 */
record HeaderParams(String value, Map<String, String> params, boolean broken) {

    static HeaderParams parse(String header) {
        if (header == null) {
            return new HeaderParams("", Map.of(), false);
        }
        int semi = header.indexOf(';');
        String head = (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        boolean broken = false;
        int i = semi < 0 ? header.length() : semi + 1;
        int n = header.length();
        Map<String, StringBuilder> continued = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) {
                i++;
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            if (i >= n || header.charAt(i) == ';') {
                if (i > nameStart && !header.substring(nameStart, i).isBlank()) {
                    broken = true;
                }
                continue;
            }
            String name = header.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
            i++; // '='
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
                i++;
            }
            String val;
            if (i < n && header.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = header.charAt(i++);
                    if (c == '\\' && i < n) {
                        sb.append(header.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) {
                    broken = true;
                }
                val = sb.toString();
            } else {
                int vs = i;
                while (i < n && header.charAt(i) != ';') {
                    i++;
                }
                val = header.substring(vs, i).strip();
            }
            if (name.isEmpty()) {
                broken = true;
                continue;
            }
            int star = name.indexOf('*');
            if (star > 0) {
                String base = name.substring(0, star);
                continued.computeIfAbsent(base, k -> new StringBuilder()).append(val);
                if (name.endsWith("*") && !continued.containsKey(base + "\u0000enc")) {
                    continued.put(base + "\u0000enc", new StringBuilder());
                }
            } else {
                params.putIfAbsent(name, HeaderFields.decodeWords(val));
            }
        }
        for (Map.Entry<String, StringBuilder> e : continued.entrySet()) {
            String key = e.getKey();
            if (key.contains("\u0000")) {
                continue;
            }
            String v = e.getValue().toString();
            if (continued.containsKey(key + "\u0000enc")) {
                v = decode2231(v);
            }
            params.put(key, v);
        }
        return new HeaderParams(head, params, broken);
    }

    String get(String name) {
        return params.get(name);
    }

    private static String decode2231(String v) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        String charset = q1 > 0 ? v.substring(0, q1) : "utf-8";
        String text = q2 >= 0 ? v.substring(q2 + 1) : v;
        try {
            return URLDecoder.decode(text.replace("+", "%2B"),
                    Charsets.forName(charset).orElse(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
