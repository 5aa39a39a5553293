package org.mailsift.scanner.regexp;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The literal strings one of which every match of a regexp must contain, found by a conservative walk over the
 * pattern (the idea of RE2's prefilter and of Rspamd's Hyperscan literal pre-matching): {@code \b(viagra|cialis)\b}
 * needs "viagra" or "cialis", {@code click (here|below)} needs "click here" or "click below". A text containing none
 * of them cannot match, so the regexp is not run on it: String.indexOf is far faster than RE2/J's automaton.
 * Literals are compared case-folded ({@link #fold}), whatever the pattern's flags, which can only keep more texts.
 * Anything the walk does not understand gives no literals (the regexp always runs); never a wrong one.
 */
final class RequiredLiterals {
    private static final int MAX_SET = 32;

    /** What a piece of pattern matches: exactly one of {@code exact}, or something containing one of {@code any}. */
    private record Info(Set<String> exact, Set<String> any) {
        static final Info UNKNOWN_CHAR = new Info(null, null);
        static final Info EMPTY = new Info(Set.of(""), null);

        Set<String> best() {
            return exact != null ? exact : any;
        }
    }

    private final String p;
    private int i;

    private RequiredLiterals(String pattern) {
        this.p = pattern;
    }

    /** Case-folded literals one of which any match contains, or null when the walk found none worth checking. */
    static Set<String> of(String pattern) {
        return of(pattern, true);
    }

    /** @param fold false: the literals as written (for a case-sensitive pattern, which matches them exactly) */
    static Set<String> of(String pattern, boolean fold) {
        try {
            RequiredLiterals r = new RequiredLiterals(pattern);
            Info info = r.alternation();
            return r.i != pattern.length() ? null : finish(info.best(), fold);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Case-folded literals one of which every match <em>starts with</em> ({@code <font[^>]+size=} starts with
     * "&lt;font", {@code \b(verify|confirm) your} with "verify your" or "confirm your"), or null: then a match can
     * only start where one of them occurs, and the regexp need only be tried at those places.
     */
    static Set<String> prefixes(String pattern, boolean fold) {
        try {
            RequiredLiterals r = new RequiredLiterals(pattern);
            Set<String> prefixes = r.prefixAlternation();
            return r.i != pattern.length() ? null : finish(prefixes, fold);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Set<String> prefixAlternation() {
        Set<String> acc = prefixConcat();
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            acc = union(acc, prefixConcat());
        }
        return acc;
    }

    /** The exact strings the leading items of a sequence match, up to the first item that is not one of a few strings. */
    private Set<String> prefixConcat() {
        Set<String> acc = Info.EMPTY.exact();
        boolean open = true;
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            Info item = quantified(atom());
            Set<String> longer = open ? product(acc, item.exact()) : null;
            if (longer == null) {
                open = false; // what precedes is still a prefix of every match
            } else {
                acc = longer;
            }
        }
        return acc;
    }

    private static Set<String> finish(Set<String> best, boolean fold) {
        if (best == null || best.isEmpty() || best.stream().anyMatch(String::isEmpty)) {
            return null;
        }
        Set<String> folded = new LinkedHashSet<>();
        for (String s : best) {
            if (!s.chars().allMatch(c -> c < 128)) {
                return null; // non-ASCII case folding is not worth the risk
            }
            folded.add(fold ? fold(s) : s);
        }
        return folded;
    }

    /**
     * Per-character case folding that maps every character RE2's (?i) equates with an ASCII letter onto that letter
     * (including the Kelvin sign and the long s); the result has the input's length.
     */
    static String fold(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x100) {
                return foldEachChar(s);
            }
        }
        // Latin-1 only: the JDK's lower-casing is per character there (and much faster than a loop of ours)
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String foldEachChar(String s) {
        char[] out = null;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            char f = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c)
                    : c == '\u017f' ? 's' : c == '\u212a' ? 'k' : Character.toLowerCase(c);
            if (f != c) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[k] = f;
            }
        }
        return out == null ? s : new String(out);
    }

    private Info alternation() {
        Info acc = concat();
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            Info next = concat();
            acc = new Info(union(acc.exact(), next.exact()), union(acc.best(), next.best()));
        }
        return acc;
    }

    private Info concat() {
        Info acc = Info.EMPTY;
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            Info item = quantified(atom());
            Set<String> exact = product(acc.exact(), item.exact());
            acc = new Info(exact, better(better(exact, better(acc.best(), item.best())), null));
        }
        return acc;
    }

    private Info quantified(Info atom) {
        if (i >= p.length()) {
            return atom;
        }
        char c = p.charAt(i);
        Info out;
        if (c == '*' || c == '?') {
            i++;
            out = new Info(null, null);
        } else if (c == '+') {
            i++;
            out = new Info(null, atom.best());
        } else if (c == '{' && i + 1 < p.length() && Character.isDigit(p.charAt(i + 1))) {
            int close = p.indexOf('}', i);
            String[] range = p.substring(i + 1, close).split(",", -1);
            int min = Integer.parseInt(range[0].strip());
            i = close + 1;
            out = min == 0 ? new Info(null, null)
                    : range.length == 1 && min == 1 ? atom : new Info(null, atom.best());
        } else {
            return atom;
        }
        if (i < p.length() && p.charAt(i) == '?') {
            i++; // lazy: same literals
        }
        return out;
    }

    private Info atom() {
        char c = p.charAt(i++);
        switch (c) {
            case '(' -> {
                int body = groupBody(p, i);
                if (body < 0) {
                    i = -body - 1;
                    return Info.EMPTY; // (?i): flags for the rest
                }
                i = body;
                Info inner = alternation();
                if (i >= p.length() || p.charAt(i) != ')') {
                    throw new IllegalArgumentException("unbalanced");
                }
                i++;
                return inner;
            }
            case '[' -> {
                i = classEnd(p, i);
                return Info.UNKNOWN_CHAR;
            }
            case '.' -> {
                return Info.UNKNOWN_CHAR;
            }
            case '^', '$' -> {
                return Info.EMPTY;
            }
            case '\\' -> {
                char e = p.charAt(i++);
                if ("bBAz".indexOf(e) >= 0) {
                    return Info.EMPTY;
                }
                if ("dDwWsS".indexOf(e) >= 0) {
                    return Info.UNKNOWN_CHAR;
                }
                if (!Character.isLetterOrDigit(e)) {
                    return literal(e); // \. \/ \$ \\ ...
                }
                throw new IllegalArgumentException("escape \\" + e); // \x41, \pL, \Q, \1...: give up
            }
            case '*', '+', '?', '{', '|', ')' -> throw new IllegalArgumentException("unexpected " + c);
            default -> {
                return literal(c);
            }
        }
    }

    private static Info literal(char c) {
        return new Info(Set.of(String.valueOf(c)), null);
    }

    /**
     * Where the body of the group whose '(' is just before {@code i} starts, past {@code ?:}, a name or flags; for a
     * flags-only group such as {@code (?i)}, minus one minus the index after it. Lookarounds throw.
     */
    static int groupBody(String p, int i) {
        if (!p.startsWith("?", i)) {
            return i;
        }
        i++;
        if (p.startsWith("P<", i) || p.startsWith("<", i) && !p.startsWith("<=", i) && !p.startsWith("<!", i)) {
            return p.indexOf('>', i) + 1;
        }
        while (i < p.length() && (Character.isLetter(p.charAt(i)) || p.charAt(i) == '-')) {
            i++; // flags
        }
        if (p.charAt(i) == ')') {
            return -(i + 1) - 1;
        }
        if (p.charAt(i) != ':') {
            throw new IllegalArgumentException("group syntax");
        }
        return i + 1;
    }

    /** The index after the character class whose '[' is just before {@code i}. */
    static int classEnd(String p, int i) {
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        while (p.charAt(i) != ']') {
            if (p.charAt(i) == '\\') {
                i += 2;
            } else if (p.startsWith("[:", i)) {
                i = p.indexOf(":]", i + 2) + 2;
            } else {
                i++;
            }
        }
        return i + 1;
    }

    private static Set<String> product(Set<String> a, Set<String> b) {
        if (a == null || b == null || a.size() * b.size() > MAX_SET) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                out.add(x + y);
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (a == null || b == null || a.size() + b.size() > MAX_SET) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    /** The more selective of two "one of these" sets: the one whose shortest string is longer. */
    private static Set<String> better(Set<String> a, Set<String> b) {
        if (a == null || shortest(a) == 0) {
            return b == null || shortest(b) == 0 ? null : b;
        }
        if (b == null || shortest(b) == 0) {
            return a;
        }
        return shortest(b) > shortest(a) ? b : a;
    }

    private static int shortest(Set<String> s) {
        return s.stream().mapToInt(String::length).min().orElse(0);
    }
}
