package org.mailsift.core.message;

import java.util.Map;

/** HTML character references in attribute values and text: numeric ones and the named ones links are disguised with. */
final class Entities {
    private static final Map<String, String> NAMED = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("period", "."), Map.entry("sol", "/"), Map.entry("colon", ":"), Map.entry("commat", "@"),
            Map.entry("num", "#"), Map.entry("quest", "?"), Map.entry("equals", "="), Map.entry("percnt", "%"),
            Map.entry("lowbar", "_"), Map.entry("hyphen", "-"), Map.entry("dash", "-"));

    private Entities() {
    }

    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi > i + 1 && semi - i <= 12) {
                String name = s.substring(i + 1, semi);
                String rep = null;
                if (name.startsWith("#x") || name.startsWith("#X")) {
                    rep = codePoint(name.substring(2), 16);
                } else if (name.startsWith("#")) {
                    rep = codePoint(name.substring(1), 10);
                } else {
                    rep = NAMED.get(name.toLowerCase(java.util.Locale.ROOT));
                }
                if (rep != null) {
                    sb.append(rep);
                    i = semi + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static String codePoint(String digits, int radix) {
        try {
            int cp = Integer.parseInt(digits, radix);
            return Character.isValidCodePoint(cp) && cp > 0 ? new String(Character.toChars(cp)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
