package org.mailsift.core.message;

/**
 * Undoes the ways people write links so they do not work: {@code hxxp://}, {@code example[.]com},
 * {@code example(.)com}, {@code example[dot]com}, {@code http[:]//}. Spammers use them to slip past URL lists that
 * only read live links; Rspamd's URL finder reads them too.
 */
final class Deobfuscation {
    private static final String[][] REPLACEMENTS = {
            {"hxxps", "https"}, {"hxxp", "http"}, {"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."},
            {"(dot)", "."}, {"[:]", ":"}, {"[://]", "://"}};

    private Deobfuscation() {
    }

    /**
     * The text with obfuscations undone; {@link Result#replaced()} counts them. Text without any (nearly all mail)
     * comes back as it is, uncopied. Only the places where one can start are tried: a bracket, or an 'h' before an
     * 'x' -- found with String.indexOf rather than by looking at every character -- and the text is copied only from
     * the first replacement on, in runs.
     */
    static Result undo(String text) {
        if (text.indexOf('[') < 0 && text.indexOf('(') < 0 && text.indexOf('{') < 0
                && text.indexOf("xx") < 0 && text.indexOf("XX") < 0) {
            return new Result(text, 0, NONE);
        }
        StringBuilder sb = null;
        int[] positions = NONE;
        int copied = 0; // text before this index is in sb already
        int replaced = 0;
        int[] next = new int[STARTS.length()];
        for (int k = 0; k < next.length; k++) {
            next[k] = text.indexOf(STARTS.charAt(k));
        }
        int i = 0;
        while (true) {
            // the first place at or after i where a replacement could start
            int candidate = -1;
            for (int k = 0; k < next.length; k++) {
                boolean x = k >= 3; // an 'x' stands for the 'h' before it, when there is one
                int from = x ? i + 1 : i;
                while (next[k] >= 0 && (next[k] < from || x && !isH(text.charAt(next[k] - 1)))) {
                    next[k] = text.indexOf(STARTS.charAt(k), Math.max(from, next[k] + 1));
                }
                if (next[k] >= 0) {
                    int at = x ? next[k] - 1 : next[k];
                    candidate = candidate < 0 ? at : Math.min(candidate, at);
                }
            }
            if (candidate < 0) {
                break;
            }
            String[] match = null;
            char first = text.charAt(candidate);
            for (String[] r : REPLACEMENTS) {
                // only the replacements starting with this character (the same first match, fewer comparisons)
                if ((r[0].charAt(0) == first || r[0].charAt(0) == 'h' && isH(first))
                        && text.regionMatches(true, candidate, r[0], 0, r[0].length())) {
                    match = r;
                    break;
                }
            }
            if (match == null) {
                i = candidate + 1;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, copied, candidate);
            if (replaced == positions.length) {
                positions = java.util.Arrays.copyOf(positions, Math.max(8, 2 * positions.length));
            }
            positions[replaced] = sb.length();
            sb.append(match[1]);
            copied = candidate + match[0].length();
            i = copied;
            replaced++;
        }
        if (sb == null) {
            return new Result(text, 0, NONE);
        }
        return new Result(sb.append(text, copied, text.length()).toString(), replaced, java.util.Arrays.copyOf(positions, replaced));
    }

    /** Where a replacement can start: a bracket itself, or an 'x' right after the 'h' of hxxp. */
    private static final String STARTS = "[({xX";

    private static boolean isH(char c) {
        return c == 'h' || c == 'H';
    }

    private static final int[] NONE = new int[0];

    /**
     * @param text     the text with the obfuscations undone
     * @param replaced how many were undone
     * @param at       where each replacement starts in {@code text}, ascending
     */
    record Result(String text, int replaced, int[] at) {
        /** Whether a replacement lies in text[from, to). */
        boolean replacedIn(int from, int to) {
            int k = java.util.Arrays.binarySearch(at, from);
            int i = k >= 0 ? k : -k - 1;
            return i < at.length && at[i] < to;
        }
    }
}
