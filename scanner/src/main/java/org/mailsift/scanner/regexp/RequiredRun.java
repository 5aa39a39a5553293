package org.mailsift.scanner.regexp;

/**
 * A run of consecutive characters of one class that every match of a regexp contains, for the regexps without
 * required literals: {@code [A-Z ]{60,}} needs 60 characters in a row from {@code [A-Z ]}, and
 * {@code \b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b} 26 from the union of its two classes. A text without such a run cannot
 * match, and finding one is a skipping pass (most texts are ruled out reading one character in {@code length}),
 * where java.util.regex would try a match at every position.
 *
 * <p>The walk reads the pattern's top-level sequence only: single-character items (a character, {@code .}, a class,
 * {@code \d}-style escapes) with their repetition minimum; zero-width assertions ({@code ^ $ \b \B \A \z}) are
 * transparent, anything else (a group, an optional item) ends a run; a top-level alternation gives no run. Which
 * characters an item matches is asked of RE2/J itself, compiled with the pattern's flags (so case folding is
 * RE2's), for the first 256 characters; every character above counts as matching (a run is a necessary condition:
 * counting more characters in can only let more texts through).
 */
public final class RequiredRun {
    /** Runs shorter than this are not worth a pass. */
    private static final int MIN_LENGTH = 4;

    /** Which of the first 256 characters are in the run's class; every character above is. */
    private final boolean[] member;
    private final int length;

    private RequiredRun(boolean[] member, int length) {
        this.member = member;
        this.length = length;
    }

    int length() {
        return length;
    }

    boolean contains(char c) {
        return c >= member.length || member[c];
    }

    /**
     * The longest run every match of {@code re2} contains, or null when the walk finds none of at least
     * {@link #MIN_LENGTH} characters (or does not understand the pattern).
     */
    public static RequiredRun of(com.google.re2j.Pattern re2) {
        try {
            return walk(re2);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RequiredRun walk(com.google.re2j.Pattern re2) {
        String p = re2.pattern();
        int flags = re2.flags() & (com.google.re2j.Pattern.CASE_INSENSITIVE | com.google.re2j.Pattern.DOTALL);
        RequiredRun best = null;
        boolean[] members = new boolean[256];
        int length = 0;
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            String item;
            int next;
            switch (c) {
                case '|' -> {
                    return null; // a top-level alternation: each branch would need its own run
                }
                case '^', '$' -> {
                    i++;
                    continue;
                }
                case '(' -> {
                    if (p.startsWith("(?", i) && !p.startsWith("(?:", i) && !p.startsWith("(?P<", i)) {
                        return null; // inline flags (?i) change what the items after them match
                    }
                    i = groupEnd(p, i);
                    item = null;
                    next = i;
                }
                case '[' -> {
                    next = RequiredLiterals.classEnd(p, i + 1);
                    item = p.substring(i, next);
                }
                case '\\' -> {
                    char e = p.charAt(i + 1);
                    if ("bBAz".indexOf(e) >= 0) {
                        i += 2;
                        continue;
                    }
                    if ("dDwWsSntrf".indexOf(e) < 0 && Character.isLetterOrDigit(e)) {
                        return null; // \x41, \pL, \Q...: not read here
                    }
                    next = i + 2;
                    item = p.substring(i, next);
                }
                case '*', '+', '?', '{', ')' -> throw new IllegalArgumentException("unexpected " + c);
                default -> {
                    next = i + 1;
                    item = p.substring(i, next);
                }
            }
            i = next;
            int min = 1;
            if (i < p.length()) {
                char q = p.charAt(i);
                boolean quantified = true;
                if (q == '*' || q == '?') {
                    min = 0;
                    i++;
                } else if (q == '+') {
                    i++;
                } else if (q == '{' && i + 1 < p.length() && Character.isDigit(p.charAt(i + 1))) {
                    int close = p.indexOf('}', i);
                    min = Integer.parseInt(p.substring(i + 1, close).split(",", -1)[0].strip());
                    i = close + 1;
                } else {
                    quantified = false;
                }
                if (quantified && i < p.length() && p.charAt(i) == '?') {
                    i++; // lazy: the same characters
                }
            }
            if (item == null || min == 0) {
                best = better(best, members, length);
                members = new boolean[256];
                length = 0;
                continue;
            }
            com.google.re2j.Pattern one = com.google.re2j.Pattern.compile(item, flags);
            for (int ch = 0; ch < 256; ch++) {
                members[ch] |= one.matches(String.valueOf((char) ch));
            }
            length += min;
        }
        return better(best, members, length);
    }

    private static RequiredRun better(RequiredRun best, boolean[] members, int length) {
        if (length < MIN_LENGTH || best != null && best.length >= length) {
            return best;
        }
        return new RequiredRun(members, length);
    }

    /** The index after the group whose '(' is at {@code open}. */
    private static int groupEnd(String p, int open) {
        int depth = 0;
        for (int i = open; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = RequiredLiterals.classEnd(p, i + 1) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unbalanced");
    }

    /**
     * Whether {@code text} has {@link #length} consecutive characters of the class. Probes every {@code length}-th
     * character: a run that long covers one of the probes, and a probe outside the class rules out the
     * {@code length - 1} characters before it.
     */
    public boolean occursIn(CharSequence text) {
        return nextRun(text, length - 1) >= 0;
    }

    /**
     * The first maximal run of at least {@link #length} characters of the class holding the probe {@code i} or a
     * later one, as start &lt;&lt; 32 | end, or -1.
     */
    private long nextRun(CharSequence text, int i) {
        int n = text.length();
        while (i < n) {
            if (!contains(text.charAt(i))) {
                i += length;
                continue;
            }
            int start = i;
            while (start > 0 && contains(text.charAt(start - 1))) {
                start--;
            }
            int end = i + 1;
            while (end < n && contains(text.charAt(end))) {
                end++;
            }
            if (end - start >= length) {
                return (long) start << 32 | end;
            }
            i = end + length; // text[end] is outside the class (or the end): the next run starts after it
        }
        return -1;
    }

    /**
     * The windows of {@code text} within {@code reach} chars of a run of at least {@link #length} characters of the
     * class (around each maximal run, merged where they overlap), as ascending {start, end} pairs; null when there is
     * none. A match at most {@code reach} long that holds such a run lies in one of them.
     */
    int[] windows(CharSequence text, int reach) {
        int n = text.length();
        int[] out = null;
        int count = 0;
        for (long run = nextRun(text, length - 1); run >= 0; run = nextRun(text, (int) run + length)) {
            int from = Math.max(0, (int) (run >>> 32) - reach);
            int to = (int) Math.min(n, (long) (int) run + reach);
            if (count > 0 && from <= out[count - 1]) {
                out[count - 1] = to;
            } else {
                if (out == null) {
                    out = new int[4];
                } else if (count == out.length) {
                    out = java.util.Arrays.copyOf(out, count * 2);
                }
                out[count++] = from;
                out[count++] = to;
            }
        }
        return out == null ? null : java.util.Arrays.copyOf(out, count);
    }
}
