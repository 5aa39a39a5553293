package org.mailsift.core.message;

import java.util.List;

/** Finds bare http(s) URLs in text (a linear scan, no regex backtracking on hostile input). */
final class Urls {
    private Urls() {
    }

    static void findBare(String text, List<String> out, int max) {
        int from = 0;
        while (out.size() < max) {
            int at = indexOfScheme(text, from);
            if (at < 0) {
                return;
            }
            int end = at;
            while (end < text.length() && isUrlChar(text.charAt(end))) {
                end++;
            }
            // trailing punctuation belongs to the sentence, not the URL
            while (end > at && ".,;:!?)]}'\"".indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
            String url = text.substring(at, end);
            if (url.length() > "https://".length() - 1 && url.indexOf("://") + 3 < url.length()) {
                out.add(url);
            }
            from = Math.max(end, at + 7);
        }
    }

    private static int indexOfScheme(String s, int from) {
        int i = from;
        while (true) {
            int h = s.indexOf("://", i);
            if (h < 0) {
                return -1;
            }
            if (h >= 4 && s.regionMatches(true, h - 4, "http", 0, 4)) {
                return h - 4;
            }
            if (h >= 5 && s.regionMatches(true, h - 5, "https", 0, 5)) {
                return h - 5;
            }
            i = h + 3;
        }
    }

    private static boolean isUrlChar(char c) {
        return c > ' ' && c < 0x7f && c != '<' && c != '>' && c != '"' && c != '\'' && c != '`' && c != '{'
                && c != '}' && c != '|' && c != '\\' && c != '^' || c > 0x9f && !Character.isWhitespace(c);
    }
}
