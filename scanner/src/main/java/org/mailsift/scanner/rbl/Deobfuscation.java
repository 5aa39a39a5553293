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

    /** The text with obfuscations undone; {@link Result#replaced()} counts them. */
    static Result undo(String text) {
        if (text.indexOf('[') < 0 && text.indexOf('(') < 0 && text.indexOf('{') < 0
                && text.indexOf("xx") < 0 && text.indexOf("XX") < 0) {
            return new Result(text, 0);
        }
        StringBuilder sb = new StringBuilder(text.length());
        int replaced = 0;
        outer:
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c != 'h' && c != 'H' && c != '[' && c != '(' && c != '{') {
                sb.append(c);
                i++;
                continue;
            }
            for (String[] r : REPLACEMENTS) {
                if (text.regionMatches(true, i, r[0], 0, r[0].length())) {
                    sb.append(r[1]);
                    i += r[0].length();
                    replaced++;
                    continue outer;
                }
            }
            sb.append(text.charAt(i++));
        }
        return new Result(sb.toString(), replaced);
    }

    record Result(String text, int replaced) {
    }
}
