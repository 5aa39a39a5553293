package org.mailsift.scanner.regexp;

/**
 * An upper bound on the length (in chars) of any match of a pattern, or -1 when there is none (an unbounded
 * repetition) or the walk does not understand the pattern. Every character position counts two chars (a
 * supplementary character is a surrogate pair), so the bound is generous; it only has to be a bound. With it, a
 * regexp that needs a literal is run only on a window around each occurrence of the literal (GuardedRegex.countIn)
 * instead of over the whole text, which matters for SpamAssassin's body: one long line per part.
 */
final class MatchLength {
    private static final int UNBOUNDED = -1;
    private static final int LIMIT = 1 << 16;

    private final String p;
    private int i;

    private MatchLength(String pattern) {
        this.p = pattern;
    }

    static int of(String pattern) {
        try {
            MatchLength w = new MatchLength(pattern);
            int n = w.alternation();
            return w.i == pattern.length() && n >= 0 && n <= LIMIT ? n : UNBOUNDED;
        } catch (RuntimeException e) {
            return UNBOUNDED;
        }
    }

    private int alternation() {
        int max = concat();
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            int next = concat();
            max = max < 0 || next < 0 ? UNBOUNDED : Math.max(max, next);
        }
        return max;
    }

    private int concat() {
        int sum = 0;
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            int item = quantified(atom());
            sum = sum < 0 || item < 0 || sum + item > LIMIT ? UNBOUNDED : sum + item;
        }
        return sum;
    }

    private int quantified(int atom) {
        if (i >= p.length()) {
            return atom;
        }
        char c = p.charAt(i);
        int out;
        if (c == '*' || c == '+') {
            i++;
            out = atom == 0 ? 0 : UNBOUNDED;
        } else if (c == '?') {
            i++;
            out = atom;
        } else if (c == '{' && i + 1 < p.length() && Character.isDigit(p.charAt(i + 1))) {
            int close = p.indexOf('}', i);
            String[] range = p.substring(i + 1, close).split(",", -1);
            i = close + 1;
            String upper = range.length == 1 ? range[0] : range[1];
            if (upper.isBlank()) {
                out = atom == 0 ? 0 : UNBOUNDED;
            } else {
                long m = Long.parseLong(upper.strip());
                out = atom < 0 || m * atom > LIMIT ? UNBOUNDED : (int) (m * atom);
            }
        } else {
            return atom;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++; // lazy or possessive: same bound
        }
        return out;
    }

    private int atom() {
        char c = p.charAt(i++);
        switch (c) {
            case '(' -> {
                int body = RequiredLiterals.groupBody(p, i);
                if (body < 0) {
                    i = -body - 1;
                    return 0; // (?i): flags for the rest
                }
                i = body;
                int inner = alternation();
                if (i >= p.length() || p.charAt(i) != ')') {
                    throw new IllegalArgumentException("unbalanced");
                }
                i++;
                return inner;
            }
            case '[' -> {
                i = RequiredLiterals.classEnd(p, i);
                return 2;
            }
            case '^', '$' -> {
                return 0;
            }
            case '\\' -> {
                char e = p.charAt(i++);
                if ("bBAzZG".indexOf(e) >= 0) {
                    return 0;
                }
                if ("dDwWsStnrfe".indexOf(e) >= 0 || !Character.isLetterOrDigit(e)) {
                    return 2;
                }
                throw new IllegalArgumentException("escape \\" + e); // \x41, \pL, \Q, \1, \R...: give up
            }
            case '*', '+', '?', '{', '|', ')' -> throw new IllegalArgumentException("unexpected " + c);
            default -> {
                return 2; // a literal or '.'
            }
        }
    }
}
