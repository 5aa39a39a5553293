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
    /** A run of characters every match contains (RequiredRun), or null: a text without one is not searched. */
    private final RequiredRun run;
    /** The case-folded literals every match contains (see {@link #literals}), or null. */
    private final java.util.Set<String> literals;
    /** Every match starts with one of {@link #literals}: the regexp is tried only where one occurs. */
    private final boolean anchored;
    private final String exactLiteral;

    /** Where matches can start: anywhere, at the start of the text only, or at line starts only. */
    enum Start { ANYWHERE, TEXT, LINES }

    private final Start start;
    /** Every branch ends with {@code $} (not multi-line: the end of the text), so every match ends there. */
    private final boolean endAnchored;

    /** {@link #reach} of a regexp tried only at the occurrences of its literals, which start every match. */
    static final int AT_OCCURRENCES = Integer.MIN_VALUE;

    GuardedRegex(com.google.re2j.Pattern re2) {
        this.re2 = re2;
        this.fast = translate(re2);
        this.lineLocal = fast != null && cannotMatchNewline(re2);
        this.maxLength = fast == null ? -1 : MatchLength.of(re2.pattern());
        this.run = RequiredRun.of(re2);
        this.start = fast == null ? Start.ANYWHERE : startOf(re2.pattern(), (re2.flags() & com.google.re2j.Pattern.MULTILINE) != 0);
        this.endAnchored = fast != null && (re2.flags() & com.google.re2j.Pattern.MULTILINE) == 0 && endsAnchored(re2.pattern());
        java.util.Set<String> required = RequiredLiterals.of(re2.pattern());
        java.util.Set<String> prefixes = fast == null ? null : RequiredLiterals.prefixes(re2.pattern(), true);
        // starting literals, unless they are much less selective than the best ones a match needs somewhere
        this.anchored = prefixes != null
                && (required == null || shortest(prefixes) >= Math.min(4, shortest(required)));
        this.literals = anchored ? prefixes : required;
        java.util.Set<String> exact = !caseSensitive(re2) || literals == null ? null
                : anchored ? RequiredLiterals.prefixes(re2.pattern(), false) : RequiredLiterals.of(re2.pattern(), false);
        this.exactLiteral = exact != null && exact.size() == 1 ? exact.iterator().next() : null;
    }

    /** No (?i) anywhere: every literal of the pattern matches only itself. */
    private static boolean caseSensitive(com.google.re2j.Pattern re2) {
        if ((re2.flags() & com.google.re2j.Pattern.CASE_INSENSITIVE) != 0) {
            return false;
        }
        String src = re2.pattern();
        for (int i = src.indexOf("(?"); i >= 0; i = src.indexOf("(?", i + 1)) {
            if (!src.startsWith("(?:", i) && !src.startsWith("(?P<", i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one literal, as written, every match contains (starts with, when {@link #reach} is
     * {@link #AT_OCCURRENCES}) of a case-sensitive pattern, or null: String.indexOf finds it faster than any automaton.
     */
    String exactLiteral() {
        return exactLiteral;
    }

    private static int shortest(java.util.Set<String> literals) {
        return literals.stream().mapToInt(String::length).min().orElse(0);
    }

    /**
     * Case-folded literals one of which every match contains (RequiredLiterals), or null: a text (a region) without
     * any cannot match. When {@link #reach} is {@link #AT_OCCURRENCES} every match starts with one of them.
     */
    java.util.Set<String> literals() {
        return literals;
    }

    /**
     * What an occurrence of a required literal lets this regexp run on (LiteralAutomaton's reach): a window of
     * {@code maxLength} chars each side when matches are that short, else its line when no match spans lines, else
     * (0) the whole text. Only java.util.regex runs on regions; a regexp without that fast path takes whole texts.
     */
    int reach() {
        return anchored ? AT_OCCURRENCES : maxLength > 0 ? maxLength : lineLocal ? -1 : 0;
    }

    /**
     * The number of matches in {@code text}, running the regexp only on {@code regions} ({start, end} pairs,
     * ascending and disjoint, from LiteralAutomaton.scan with this regexp's {@link #reach}): every match holds a
     * literal occurrence and lies within that occurrence's region, and with transparent, non-anchoring bounds a region
     * finds the matches the whole text would (lookbehind, \b, ^ and $ see the text around it). The same count, then,
     * as {@link #count} over the whole text.
     */
    int countIn(String text, int[] regions, int max) {
        if (anchored) {
            return countAt(text, regions, max);
        }
        if (regions.length == 2 && regions[0] == 0 && regions[1] == text.length()) {
            return count(text, max);
        }
        return findIn(text, regions, max);
    }

    /** find() in each region, with transparent, non-anchoring bounds (see {@link #countIn}). */
    private int findIn(String text, int[] regions, int max) {
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
            return countRe2(text, max); // RE2/J over the whole text
        }
    }

    /**
     * The number of matches in {@code text} when every match starts with a literal and {@code occurrences} are the
     * {start, end} of every occurrence of one, ascending by start (reach {@link #AT_OCCURRENCES}): find() over the
     * whole text returns, from where its last match ended, the match at the first place one starts, so trying
     * lookingAt at each occurrence not inside the previous match gives the same matches. Transparent, non-anchoring
     * bounds: lookbehind, \b, ^ and $ see the whole text.
     */
    private int countAt(String text, int[] occurrences, int max) {
        int n = 0;
        Budgeted input = new Budgeted(text, (long) text.length() * STEPS_PER_CHAR + MIN_STEPS);
        try {
            java.util.regex.Matcher m = fast.matcher(input).useTransparentBounds(true).useAnchoringBounds(false);
            int from = 0;
            for (int r = 0; r < occurrences.length && n < max; r += 2) {
                if (occurrences[r] < from) {
                    continue;
                }
                m.region(occurrences[r], text.length());
                if (m.lookingAt()) {
                    n++;
                    from = Math.max(m.end(), occurrences[r] + 1);
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

    /**
     * The number of matches in {@code text}, stopping at {@code max}: none without the required run; a regexp whose
     * every branch starts with {@code ^} is tried at the start of the text, or of each line (multi-line), alone.
     */
    int count(String text, int max) {
        boolean windows = run != null && maxLength > 0 && start == Start.ANYWHERE && !endAnchored;
        if (run != null && !windows && !run.occursIn(text)) {
            return 0;
        }
        if (start != Start.ANYWHERE) {
            return countAtStarts(text, max);
        }
        if (endAnchored && maxLength >= 0) {
            // every match ends at the end of the text and is at most maxLength long: it lies in the last maxLength chars
            return text.length() <= maxLength ? countEverywhere(text, max)
                    : findIn(text, new int[] {text.length() - maxLength, text.length()}, max);
        }
        if (windows) {
            // a match holds a required run and is at most maxLength long: it lies within maxLength of a run
            int[] regions = run.windows(text, maxLength);
            return regions == null ? 0 : findIn(text, regions, max);
        }
        return countEverywhere(text, max);
    }

    /**
     * As find() over the whole text, for a regexp that can only match at the start of the text or of a line:
     * lookingAt there (with transparent, non-anchoring bounds, so {@code ^} sees the text before), from where the
     * last match ended.
     */
    private int countAtStarts(String text, int max) {
        int n = 0;
        Budgeted input = new Budgeted(text, (long) text.length() * STEPS_PER_CHAR + MIN_STEPS);
        try {
            java.util.regex.Matcher m = fast.matcher(input).useTransparentBounds(true).useAnchoringBounds(false);
            int from = 0;
            for (int p = 0; p >= 0 && n < max; p = start == Start.LINES ? nextLine(text, p) : -1) {
                if (p < from) {
                    continue;
                }
                m.region(p, text.length());
                if (m.lookingAt()) {
                    n++;
                    from = Math.max(m.end(), p + 1);
                }
            }
            return n;
        } catch (OverBudget | StackOverflowError e) {
            return countRe2(text, max);
        }
    }

    private static int nextLine(String text, int p) {
        int nl = text.indexOf('\n', p);
        return nl < 0 ? -1 : nl + 1;
    }

    /** Whether every top-level branch of {@code src} ends with an unescaped {@code $}. */
    static boolean endsAnchored(String src) {
        for (int end : branchEnds(src)) {
            if (!endsWithDollar(src, end)) {
                return false;
            }
        }
        return true;
    }

    /** Where each top-level branch of {@code src} ends: each top-level '|', then the pattern's length. */
    private static java.util.List<Integer> branchEnds(String src) {
        java.util.List<Integer> ends = new java.util.ArrayList<>();
        int depth = 0;
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = RequiredLiterals.classEnd(src, i + 1) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                ends.add(i);
            }
        }
        ends.add(src.length());
        return ends;
    }

    /** Whether the pattern text before {@code end} is an unescaped '$' (an even number of backslashes before it). */
    private static boolean endsWithDollar(String src, int end) {
        if (end == 0 || src.charAt(end - 1) != '$') {
            return false;
        }
        int slashes = 0;
        for (int k = end - 2; k >= 0 && src.charAt(k) == '\\'; k--) {
            slashes++;
        }
        return slashes % 2 == 0;
    }

    /** Whether every top-level branch of {@code src} starts with {@code ^} (or {@code \A}): where matches can start. */
    static Start startOf(String src, boolean multiline) {
        boolean lines = false;
        int branchStart = 0;
        for (int end : branchEnds(src)) {
            if (src.startsWith("^", branchStart) && end > branchStart) {
                lines |= multiline;
            } else if (!src.startsWith("\\A", branchStart) || end < branchStart + 2) {
                return Start.ANYWHERE;
            }
            branchStart = end + 1;
        }
        return lines ? Start.LINES : Start.TEXT;
    }

    /** {@link #count} without the run check: the plain search, for the tests that compare the shortcuts with it. */
    int countEverywhere(String text, int max) {
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
        return countRe2(text, max);
    }

    private int countRe2(String text, int max) {
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
