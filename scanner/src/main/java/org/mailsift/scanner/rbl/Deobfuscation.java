package org.mailsift.scanner.rbl;

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
     * comes back as it is, uncopied: only the characters that can start one ({@code h}, {@code [}, {@code (},
     * {@code {}) are looked at, and the text is copied only from the first replacement on, in runs.
     */
    static Result undo(String text) {
        if (text.indexOf('[') < 0 && text.indexOf('(') < 0 && text.indexOf('{') < 0
                && text.indexOf("xx") < 0 && text.indexOf("XX") < 0) {
            return new Result(text, 0);
        }
        StringBuilder sb = null;
        int copied = 0; // text before this index is in sb already
        int replaced = 0;
        int n = text.length();
        outer:
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != 'h' && c != 'H' && c != '[' && c != '(' && c != '{') {
                continue;
            }
            for (String[] r : REPLACEMENTS) {
                if (text.regionMatches(true, i, r[0], 0, r[0].length())) {
                    if (sb == null) {
                        sb = new StringBuilder(n);
                    }
                    sb.append(text, copied, i).append(r[1]);
                    copied = i + r[0].length();
                    i = copied - 1;
                    replaced++;
                    continue outer;
                }
            }
        }
        if (sb == null) {
            return new Result(text, 0);
        }
        return new Result(sb.append(text, copied, n).toString(), replaced);
    }

    record Result(String text, int replaced) {
    }
}
