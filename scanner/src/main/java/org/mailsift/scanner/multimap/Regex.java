package org.mailsift.scanner.multimap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.google.re2j.Pattern;

/**
 * A compiled map regexp with a literal pre-check: when every match must contain some plain text (a run of literal
 * characters outside any group, in a pattern without alternation), a value that lacks that text is refused by one
 * {@code indexOf} without running the regexp, as Hyperscan's literal pre-filter does for Rspamd. RE2/J then only runs
 * on the values that can match, which keeps content rules over whole messages cheap.
 *
 * @param literals        texts every match contains (lower case when {@code caseInsensitive}), longest first
 * @param caseInsensitive whether the literals are compared with the value in lower case
 */
record Regex(Pattern pattern, List<String> literals, boolean caseInsensitive, Pattern folded) {
    private static final int MIN_LITERAL = 3;

    static Regex of(Pattern pattern) {
        String body = pattern.pattern();
        int flags = pattern.flags();
        boolean ci = (flags & Pattern.CASE_INSENSITIVE) != 0;
        if (body.startsWith("(?i)")) {
            ci = true;
            body = body.substring(4);
        }
        List<String> found = new ArrayList<>();
        for (String lit : requiredLiterals(body)) {
            found.add(ci ? lit.toLowerCase(Locale.ROOT) : lit);
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        Pattern folded = null;
        if (ci && foldable(body)) {
            folded = Pattern.compile(lowerLetters(body), flags & ~Pattern.CASE_INSENSITIVE);
        }
        return new Regex(pattern, List.copyOf(found), ci, folded);
    }

    /**
     * A case-insensitive pattern RE2/J can run as a case-sensitive one on the lower-cased value (same positions: the
     * value is lower-cased character by character), which lets RE2/J skip to its literal prefix with indexOf instead
     * of stepping its automaton over every character: ASCII only, no character class, no property escape.
     */
    private static boolean foldable(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c >= 128 || c == '[') {
                return false;
            }
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                if (e == 'p' || e == 'P' || e == 'Q' || e == 'x') {
                    return false;
                }
            }
        }
        return true;
    }

    /** Lower-cases the pattern's letters, not its escapes ({@code \S}, {@code \W}, {@code \B} keep their meaning). */
    private static String lowerLetters(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                out.append(c).append(body.charAt(++i));
            } else {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** The longest required literal, or null (tests). */
    String literal() {
        return literals.isEmpty() ? null : literals.get(0);
    }

    /** Whether the pattern matches somewhere in {@code value}; {@code lower} is value in lower case, made on demand. */
    boolean find(String value, Lower lower) {
        if (!literals.isEmpty()) {
            String hay = caseInsensitive ? lower.of(value) : value;
            for (String lit : literals) {
                if (!hay.contains(lit)) {
                    return false;
                }
            }
        }
        return folded != null ? folded.matcher(lower.of(value)).find() : pattern.matcher(value).find();
    }

    /** The first match (or {@code group} of it) in {@code value}, or null; the literal pre-check first. */
    String first(String value, int group) {
        Lower lower = new Lower();
        if (!literals.isEmpty()) {
            String hay = caseInsensitive ? lower.of(value) : value;
            for (String lit : literals) {
                if (!hay.contains(lit)) {
                    return null;
                }
            }
        }
        if (folded != null) {
            com.google.re2j.Matcher m = folded.matcher(lower.of(value));
            return m.find() && m.start(group) >= 0 ? value.substring(m.start(group), m.end(group)) : null;
        }
        com.google.re2j.Matcher m = pattern.matcher(value);
        return m.find() ? m.group(group) : null;
    }

    /** The lower-case form of the value being matched, computed once for all the patterns of a map. */
    static final class Lower {
        private String source;
        private String lower;

        /** Character by character (positions stay those of the value); U+017F (long s) folds to s as in RE2/J. */
        String of(String value) {
            if (source != value) {
                source = value;
                lower = MessageMemo.current().lowered(value, Lower::fold);
            }
            return lower;
        }

        private static String fold(String value) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                char c = value.charAt(i);
                if (c >= 'A' && c <= 'Z' || c >= 128) {
                    break;
                }
                i++;
            }
            if (i == n) {
                return value;
            }
            char[] out = value.toCharArray();
            for (; i < n; i++) {
                char c = out[i];
                out[i] = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : c == '\u017f' ? 's' : Character.toLowerCase(c);
            }
            return new String(out);
        }
    }

    /** The longest of {@link #requiredLiterals}, or null (tests). */
    static String requiredLiteral(String p) {
        List<String> all = requiredLiterals(p);
        return all.stream().max(Comparator.comparingInt(String::length)).orElse(null);
    }

    /**
     * The runs of at least three literal characters at the top level of {@code p} (each one is in every match), or
     * none when the pattern is one the scan cannot read safely (alternation at the top, inline flags inside, numeric
     * or property escapes).
     */
    static List<String> requiredLiterals(String p) {
        if (p.contains("(?")) {
            return List.of();
        }
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int depth = 0;
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (i + 1 >= p.length()) {
                    return List.of();
                }
                char e = p.charAt(i + 1);
                if (Character.isLetterOrDigit(e)) {
                    if ("xpPQEcNou0123456789".indexOf(e) >= 0) {
                        return List.of();
                    }
                    end(runs, run);
                } else if (depth == 0) {
                    run.append(e);
                }
                i += 2;
                continue;
            }
            switch (c) {
                case '[' -> {
                    end(runs, run);
                    int close = classEnd(p, i);
                    if (close < 0) {
                        return List.of();
                    }
                    i = close + 1;
                    continue;
                }
                case '(' -> {
                    end(runs, run);
                    depth++;
                }
                case '|' -> {
                    if (depth == 0) {
                        return List.of();
                    }
                }
                case ')' -> {
                    end(runs, run);
                    depth--;
                }
                case '?', '*', '{' -> {
                    // the character before is optional: it leaves the run
                    if (!run.isEmpty()) {
                        run.setLength(run.length() - 1);
                    }
                    end(runs, run);
                    if (c == '{') {
                        int close = p.indexOf('}', i);
                        if (close < 0 || !p.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
                            return List.of();
                        }
                        i = close + 1;
                        continue;
                    }
                }
                case '+', '.', '^', '$' -> end(runs, run);
                default -> {
                    if (depth == 0) {
                        run.append(c);
                    } else {
                        end(runs, run);
                    }
                }
            }
            i++;
        }
        end(runs, run);
        return runs;
    }

    /** Ends the current run, keeping it when it is long enough. */
    private static void end(List<String> runs, StringBuilder run) {
        if (run.length() >= MIN_LITERAL) {
            runs.add(run.toString());
        }
        run.setLength(0);
    }

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }
}
