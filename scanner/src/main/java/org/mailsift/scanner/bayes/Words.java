package org.mailsift.scanner.bayes;

import java.util.Locale;

/**
 * Splits text into normalized words and hashes them: runs of letters and digits (plus {@code $ ' -} inside a word),
 * lower-cased; words shorter than {@code minLength} or longer than {@code maxLength} characters are dropped (long
 * runs are base64 leftovers, hashes and ids that never repeat).
 */
final class Words {
    private Words() {
    }

    static void hash(String text, long seed, int minLength, int maxLength, LongList out) {
        hash(text, seed, minLength, maxLength, false, out);
    }

    /**
     * @param skip emit a SpamBayes "skip" token (first character and length band) for each word longer than
     *             {@code maxLength}, so long obfuscated or encoded runs still leave a trace
     */
    static void hash(String text, long seed, int minLength, int maxLength, boolean skip, LongList out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        char[] buf = new char[Math.min(text.length(), 4096)];
        int len = 0;
        boolean overflow = false;
        for (int i = 0, n = text.length(); i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            if (isWordChar(c) || (len > 0 && isJoiner(c) && i + 1 < n && Character.isLetterOrDigit(text.charAt(i + 1)))) {
                if (len < buf.length) {
                    buf[len++] = Character.toLowerCase(c);
                } else {
                    overflow = true;
                }
                continue;
            }
            if (len >= minLength && len <= maxLength && !overflow) {
                out.add(TokenHash.of(seed, buf, 0, len));
            } else if (skip && len > maxLength) {
                int band = overflow ? 999 : len / 10 * 10;
                out.add(TokenHash.of(seed, "\u0001skip:" + buf[0] + band));
            }
            len = 0;
            overflow = false;
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '$';
    }

    private static boolean isJoiner(char c) {
        return c == '\'' || c == '-' || c == '.';
    }

    static String normalize(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
