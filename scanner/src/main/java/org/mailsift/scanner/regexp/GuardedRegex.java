package org.mailsift.scanner.regexp;

/**
 * A regexp RE2/J accepted, run first by java.util.regex (several times faster on ordinary patterns) under a step
 * budget proportional to the text, and by RE2/J (linear time) when the budget runs out, so a pattern that
 * backtracks catastrophically costs at most the budget and one linear pass. The fast path is only taken for patterns
 * whose meaning is the same in both engines (translated: {@code $} without multi-line is the end of text, line
 * breaks are {@code \n} only, case folding is Unicode's); anything else runs on RE2/J alone.
 */
final class GuardedRegex {
    /** Steps (character reads) allowed per character of text, plus a floor, before the fast path gives up. */
    private static final int STEPS_PER_CHAR = 64;
    private static final int MIN_STEPS = 50_000;

    private final com.google.re2j.Pattern re2;
    private final java.util.regex.Pattern fast;
    /** No match can contain a line break: a match lies within one line (see {@link #countInLines}). */
    private final boolean lineLocal;
    /** A bound on the length of a match (MatchLength), or -1. */
    private final int maxLength;

    GuardedRegex(com.google.re2j.Pattern re2) {
        this.re2 = re2;
        this.fast = translate(re2);
        this.lineLocal = fast != null && cannotMatchNewline(re2);
        this.maxLength = fast == null ? -1 : MatchLength.of(re2.pattern());
    }

    /**
     * What an occurrence of a required literal lets this regexp run on (LiteralAutomaton's reach): a window of
     * {@code maxLength} chars each side when matches are that short, else its line when no match spans lines, else
     * (0) the whole text. Only java.util.regex runs on regions; a regexp without that fast path takes whole texts.
     */
    int reach() {
        return maxLength > 0 ? maxLength : lineLocal ? -1 : 0;
    }

    /**
     * The number of matches in {@code text}, running the regexp only on {@code regions} ({start, end} pairs,
     * ascending and disjoint, from LiteralAutomaton.scan with this regexp's {@link #reach}): every match holds a
     * literal occurrence and lies within that occurrence's region, and with transparent, non-anchoring bounds a region
     * finds the matches the whole text would (lookbehind, \b, ^ and $ see the text around it). The same count, then,
     * as {@link #count} over the whole text.
     */
    int countIn(String text, int[] regions, int max) {
        if (regions.length == 2 && regions[0] == 0 && regions[1] == text.length()) {
            return count(text, max);
        }
        int n = 0;
        Budgeted input = new Budgeted(text, (long) text.length() * STEPS_PER_CHAR + MIN_STEPS);
        try {
            java.util.regex.Matcher m = fast.matcher(input).useTransparentBounds(true).useAnchoringBounds(false);
            for (int r = 0; r < regions.length && n < max; r += 2) {
                m.region(regions[r], regions[r + 1]);
                while (n < max && m.find()) {
                    n++;
                }
            }
            return n;
        } catch (OverBudget | StackOverflowError e) {
            return count(text, max); // RE2/J over the whole text
        }
    }

    /** Conservative: no class, escape or dot in the pattern can match '\n'. */
    private static boolean cannotMatchNewline(com.google.re2j.Pattern re2) {
        String src = re2.pattern();
        if ((re2.flags() & com.google.re2j.Pattern.DOTALL) != 0 || src.contains("(?s") || src.contains("[^")
                || src.indexOf('\n') >= 0) {
            return false;
        }
        for (int i = 0; i < src.length() - 1; i++) {
            if (src.charAt(i) == '\\') {
                char e = src.charAt(++i);
                if ("sSWDnxpPvQC".indexOf(e) >= 0 || Character.isDigit(e)) {
                    return false;
                }
            }
        }
        return true;
    }

    com.google.re2j.Pattern re2() {
        return re2;
    }

    boolean hasFastPath() {
        return fast != null;
    }

    /** The number of matches in {@code text}, stopping at {@code max}. */
    int count(String text, int max) {
        if (fast != null) {
            Budgeted input = new Budgeted(text, (long) text.length() * STEPS_PER_CHAR + MIN_STEPS);
            try {
                java.util.regex.Matcher m = fast.matcher(input);
                int n = 0;
                while (n < max && m.find()) {
                    n++;
                }
                return n;
            } catch (OverBudget | StackOverflowError e) {
                // fall through: RE2/J answers in linear time (java.util.regex recurses on long repetitions)
            }
        }
        com.google.re2j.Matcher m = re2.matcher(text);
        int n = 0;
        while (n < max && m.find()) {
            n++;
        }
        return n;
    }

    private static java.util.regex.Pattern translate(com.google.re2j.Pattern re2) {
        String src = re2.pattern();
        if (src.contains("(?P") || src.contains("[[:") || src.contains("(?U") || src.contains("\\C")
                || src.contains("\\Q") || src.contains("\\v") || src.contains("(?m")) {
            return null;
        }
        int re2Flags = re2.flags();
        boolean multiline = (re2Flags & com.google.re2j.Pattern.MULTILINE) != 0;
        StringBuilder out = new StringBuilder(src.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\\' && i + 1 < src.length()) {
                char e = src.charAt(++i);
                if (e == 's' || e == 'S') {
                    // RE2's \s is [\t\n\f\r ]; Java's also takes \x0B
                    if (inClass && e == 'S') {
                        return null;
                    }
                    out.append(inClass ? "\\t\\n\\f\\r " : e == 's' ? "[\\t\\n\\f\\r ]" : "[^\\t\\n\\f\\r ]");
                } else {
                    out.append(c).append(e);
                }
            } else if (inClass) {
                if (c == '[') {
                    return null; // nested class syntax differs
                }
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < src.length() && src.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < src.length() && src.charAt(i + 1) == ']') {
                    out.append("\\]"); // a leading ']' is a literal in both
                    i++;
                }
            } else if (c == '$' && !multiline) {
                out.append("\\z"); // RE2: end of text; Java: also before a final line break
            } else {
                out.append(c);
            }
        }
        int flags = java.util.regex.Pattern.UNIX_LINES | java.util.regex.Pattern.UNICODE_CASE;
        if ((re2Flags & com.google.re2j.Pattern.CASE_INSENSITIVE) != 0) {
            flags |= java.util.regex.Pattern.CASE_INSENSITIVE;
        }
        if (multiline) {
            flags |= java.util.regex.Pattern.MULTILINE;
        }
        if ((re2Flags & com.google.re2j.Pattern.DOTALL) != 0) {
            flags |= java.util.regex.Pattern.DOTALL;
        }
        try {
            return java.util.regex.Pattern.compile(out.toString(), flags);
        } catch (java.util.regex.PatternSyntaxException e) {
            return null;
        }
    }

    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }

    /** A text that counts the reads the matcher makes and stops it past the budget. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long left;

        Budgeted(String text, long budget) {
            this.text = text;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new OverBudget();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
