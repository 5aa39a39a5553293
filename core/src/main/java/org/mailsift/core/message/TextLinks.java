package org.mailsift.core.message;

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

    /**
     * Every word holding a '.', '@' or ':' (only those can be links), in order. The words are found from those
     * characters (String.indexOf, vectorized) rather than by walking every character of the text: most of a text
     * part is words that cannot be links.
     */
    static void find(String text, LinkFinder out) {
        int n = text.length();
        int dot = text.indexOf('.');
        int at = text.indexOf('@');
        int colon = text.indexOf(':');
        int i = 0; // text before i is done with
        while (!out.full()) {
            if (dot >= 0 && dot < i) {
                dot = text.indexOf('.', i);
            }
            if (at >= 0 && at < i) {
                at = text.indexOf('@', i);
            }
            if (colon >= 0 && colon < i) {
                colon = text.indexOf(':', i);
            }
            int p = first(first(dot, at), colon);
            if (p < 0) {
                return;
            }
            if (text.charAt(p) != '@' && (p + 1 == n || isSeparator(text.charAt(p + 1)))) {
                // a sentence end or "Subject:": the word ends here and, trimmed of its trailing '.' or ':', holds no
                // '.', '@' or ':' (p is the first after i), so it cannot be a link -- nor is it walked back over
                i = p + 1;
                continue;
            }
            int start = p;
            while (start > i && !isSeparator(text.charAt(start - 1))) {
                start--;
            }
            int end = p + 1;
            while (end < n && !isSeparator(text.charAt(end))) {
                end++;
            }
            i = end;
            // the word without its trailing sentence punctuation and leading dots or stars (trim), copied only
            // when long enough to be a link
            while (end > start && trailing(text.charAt(end - 1))) {
                end--;
            }
            while (start < end && leading(text.charAt(start))) {
                start++;
            }
            if (end - start >= 4 && end - start <= 2048) {
                out.word(start, end);
                word(text, start, end, out);
            }
        }
    }

    /** The smaller of two indexes, -1 meaning none. */
    private static int first(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * The word text[start, end) as a link, if it is one. Looked at in place first (String's bounded indexOf): most
     * words holding a '.', '@' or ':' are sentence ends, times and headers, and are not copied.
     */
    private static void word(String text, int start, int end, LinkFinder out) {
        int scheme = text.indexOf("://", start, end);
        int at = text.indexOf('@', start, end);
        int dot = text.indexOf('.', start, end);
        if (scheme >= 0) {
            int s = scheme;
            while (s > start && Character.isLetter(text.charAt(s - 1))) {
                s--;
            }
            out.url(text.substring(s, end));
            return;
        }
        // the 'm' and ':' compared first: regionMatches(true, ...) folds every character, and only 'm' / 'M' fold
        // to an 'm' ('i' has other letters folding to it), only ':' to ':'
        if (end - start >= 7 && text.charAt(start + 6) == ':' && (text.charAt(start) | 0x20) == 'm'
                && text.regionMatches(true, start, "mailto:", 0, 7)) {
            out.url(text.substring(start, end));
            return;
        }
        if (at > start) {
            out.email(text.substring(start, end));
            return;
        }
        if (at == start || dot <= start) {
            return;
        }
        hostWord(text.substring(start, end), out);
    }

    /** A word with a '.' inside and no scheme or '@': a host name ("www.example.com", "example.com/offer")? */
    private static void hostWord(String w, LinkFinder out) {
        int end = w.length();
        for (int k = 0; k < w.length(); k++) {
            char c = w.charAt(k);
            if (c == '/' || c == '?' || c == '#' || c == ':') {
                end = k;
                break;
            }
        }
        String host = trim(w.substring(0, end));
        if (host.indexOf('.') <= 0 || all(host, TextLinks::digitOrDot)) {
            return; // version numbers, dates, amounts
        }
        for (int k = 0; k < host.length(); k++) {
            char c = host.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                return;
            }
        }
        String tld = host.substring(host.lastIndexOf('.') + 1);
        if (tld.length() < 2 || !(all(tld, Character::isLetter) || tld.regionMatches(true, 0, "xn--", 0, 4))) {
            return; // "e.g", "v2.0", "x.1": no top-level domain, no need to ask the Public Suffix List
        }
        boolean explicit = w.regionMatches(true, 0, "www.", 0, 4) || end < w.length() && w.charAt(end) == '/';
        if (!explicit && LinkFinder.fileLike(host)) {
            return;
        }
        out.bareHost(host);
    }

    /** Whether every character of s is one the test takes (a loop: streams cost here). */
    private static boolean all(String s, CharTest test) {
        for (int k = 0; k < s.length(); k++) {
            if (!test.test(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private interface CharTest {
        boolean test(char c);
    }

    private static boolean digitOrDot(char c) {
        return Character.isDigit(c) || c == '.';
    }

    private static String trim(String w) {
        int e = w.length();
        while (e > 0 && trailing(w.charAt(e - 1))) {
            e--;
        }
        int s = 0;
        while (s < e && leading(w.charAt(s))) {
            s++;
        }
        return w.substring(s, e);
    }

    /** Sentence punctuation trimmed off a word's end: one of ".,;:!?*" (a switch: every word ending passes here). */
    private static boolean trailing(char c) {
        return switch (c) {
            case '.', ',', ';', ':', '!', '?', '*' -> true;
            default -> false;
        };
    }

    /** Trimmed off a word's start: '.' or '*'. */
    private static boolean leading(char c) {
        return c == '.' || c == '*';
    }

    private static boolean isSeparator(char c) {
        return c < 128 ? ASCII_SEPARATOR[c] : Character.isWhitespace(c) || SEPARATORS.indexOf(c) >= 0;
    }
}
