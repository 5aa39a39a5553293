package org.mailsift.scanner.rbl;

import java.util.Locale;

/**
 * Links in plain text: URLs with a scheme, e-mail addresses, and bare host names ("www.example.com",
 * "example.com/offer") that end in a real public suffix. One pass over whitespace- and bracket-separated words.
 */
final class TextLinks {
    private static final String SEPARATORS = "<>\"'()[]{},;|`\u00a0";
    /** {@link #isSeparator} for ASCII, looked up: it runs for every character of every text part. */
    private static final boolean[] ASCII_SEPARATOR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_SEPARATOR[c] = Character.isWhitespace(c) || SEPARATORS.indexOf(c) >= 0;
        }
    }

    private TextLinks() {
    }

    static void find(String text, UrlExtractor.Collector out) {
        int n = text.length();
        int i = 0;
        while (i < n && !out.full()) {
            while (i < n && isSeparator(text.charAt(i))) {
                i++;
            }
            int start = i;
            boolean linkish = false; // only words with '.', '@' or ':' can be links: skip the others without copying
            while (i < n && !isSeparator(text.charAt(i))) {
                char c = text.charAt(i);
                linkish |= c == '.' || c == '@' || c == ':';
                i++;
            }
            if (linkish && i > start) {
                word(trim(text.substring(start, i)), out);
            }
        }
    }

    private static void word(String w, UrlExtractor.Collector out) {
        if (w.length() < 4 || w.length() > 2048) {
            return;
        }
        String lower = w.toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        if (scheme >= 0) {
            int s = scheme;
            while (s > 0 && Character.isLetter(lower.charAt(s - 1))) {
                s--;
            }
            out.url(w.substring(s));
            return;
        }
        if (lower.startsWith("mailto:")) {
            out.url(w);
            return;
        }
        int at = w.indexOf('@');
        if (at > 0) {
            out.email(w);
            return;
        }
        if (at == 0 || w.indexOf('.') <= 0) {
            return;
        }
        int end = w.length();
        for (int k = 0; k < w.length(); k++) {
            char c = w.charAt(k);
            if (c == '/' || c == '?' || c == '#' || c == ':') {
                end = k;
                break;
            }
        }
        String host = trim(w.substring(0, end));
        if (host.indexOf('.') <= 0 || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return; // version numbers, dates, amounts
        }
        for (int k = 0; k < host.length(); k++) {
            char c = host.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                return;
            }
        }
        String tld = host.substring(host.lastIndexOf('.') + 1);
        if (tld.length() < 2 || !(tld.chars().allMatch(Character::isLetter) || tld.regionMatches(true, 0, "xn--", 0, 4))) {
            return; // "e.g", "v2.0", "x.1": no top-level domain, no need to ask the Public Suffix List
        }
        boolean explicit = lower.startsWith("www.") || end < w.length() && w.charAt(end) == '/';
        if (!explicit && UrlExtractor.fileLike(host)) {
            return;
        }
        out.bareHost(host);
    }

    private static String trim(String w) {
        int e = w.length();
        while (e > 0 && ".,;:!?*".indexOf(w.charAt(e - 1)) >= 0) {
            e--;
        }
        int s = 0;
        while (s < e && ".*".indexOf(w.charAt(s)) >= 0) {
            s++;
        }
        return w.substring(s, e);
    }

    private static boolean isSeparator(char c) {
        return c < 128 ? ASCII_SEPARATOR[c] : Character.isWhitespace(c) || SEPARATORS.indexOf(c) >= 0;
    }
}
