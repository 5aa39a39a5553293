package org.mailsift.scanner.multimap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.google.re2j.Pattern;
import org.mailsift.scanner.regexp.RequiredRun;

/**
 * A compiled map regexp with a literal pre-check: when every match must contain some plain text (a run of literal
 * characters outside any group, in a pattern without alternation), a value that lacks that text is refused by one
 * {@code indexOf} without running the regexp, as Hyperscan's literal pre-filter does for Rspamd. RE2/J then only runs
 * on the values that can match, which keeps content rules over whole messages cheap.
 *
 * @param literals        texts every match contains (lower case when {@code caseInsensitive}), longest first
 * @param caseInsensitive whether the literals are compared with the value in lower case
 */
record Regex(Pattern pattern, List<String> literals, boolean caseInsensitive, Pattern folded, RequiredRun run) {
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
        List<String> literals = requiredLiterals(body, MIN_LITERAL);
        if (literals.isEmpty()) {
            literals = requiredLiterals(body, 1); // a shorter one ('$' of \$\d{3,}) still spares most values RE2/J
        }
        for (String lit : literals) {
            found.add(ci ? lit.toLowerCase(Locale.ROOT) : lit);
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        Pattern folded = null;
        if (ci && foldable(body)) {
            folded = Pattern.compile(lowerLetters(body), flags & ~Pattern.CASE_INSENSITIVE);
        }
        // without literals, the run of one class's characters every match needs ([A-Z]{12,}: 12 capitals in a row)
        RequiredRun run = found.isEmpty() ? RequiredRun.of(pattern) : null;
        return new Regex(pattern, List.copyOf(found), ci, folded, run);
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
        for (String lit : literals) {
            if (!(caseInsensitive ? lower.of(value) : value).contains(lit)) {
                return false;
            }
        }
        if (run != null && !run.occursIn(value)) {
            return false;
        }
        return useFolded(value) ? folded.matcher(lower.of(value)).find() : pattern.matcher(value).find();
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
        if (useFolded(value)) {
            com.google.re2j.Matcher m = folded.matcher(lower.of(value));
            return m.find() && m.start(group) >= 0 ? value.substring(m.start(group), m.end(group)) : null;
        }
        com.google.re2j.Matcher m = pattern.matcher(value);
        return m.find() ? m.group(group) : null;
    }

    /**
     * Whether the folded pattern may run on the lowered value: not when the value holds one of the three characters
     * that fold to an ASCII letter (U+017F, U+0130, U+212A), which would turn a non-word character (\\b, \\W) into a
     * word one; RE2/J's own case folding then runs on the value as it is.
     */
    private boolean useFolded(String value) {
        return folded != null && value.indexOf('\u017f') < 0 && value.indexOf('\u0130') < 0
                && value.indexOf('\u212a') < 0;
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

        /** One character as {@link #fold(String)} lower-cases it. */
        private static char fold(char c) {
            return c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : c == '\u017f' ? 's' : Character.toLowerCase(c);
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
                out[i] = fold(out[i]);
            }
            return new String(out);
        }
    }

    /** The longest of {@link #requiredLiterals}, or null (tests). */
    static String requiredLiteral(String p) {
        List<String> all = requiredLiterals(p, MIN_LITERAL);
        return all.stream().max(Comparator.comparingInt(String::length)).orElse(null);
    }

    /**
     * The runs of at least three literal characters at the top level of {@code p} (each one is in every match), or
     * none when the pattern is one the scan cannot read safely (alternation at the top, inline flags inside, numeric
     * or property escapes).
     */
    static List<String> requiredLiterals(String p, int minLength) {
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
                    end(runs, run, minLength);
                } else if (depth == 0) {
                    run.append(e);
                }
                i += 2;
                continue;
            }
            switch (c) {
                case '[' -> {
                    end(runs, run, minLength);
                    int close = classEnd(p, i);
                    if (close < 0) {
                        return List.of();
                    }
                    i = close + 1;
                    continue;
                }
                case '(' -> {
                    end(runs, run, minLength);
                    depth++;
                }
                case '|' -> {
                    if (depth == 0) {
                        return List.of();
                    }
                }
                case ')' -> {
                    end(runs, run, minLength);
                    depth--;
                }
                case '?', '*', '{' -> {
                    // the character before is optional: it leaves the run
                    if (!run.isEmpty()) {
                        run.setLength(run.length() - 1);
                    }
                    end(runs, run, minLength);
                    if (c == '{') {
                        int close = p.indexOf('}', i);
                        if (close < 0 || !p.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
                            return List.of();
                        }
                        i = close + 1;
                        continue;
                    }
                }
                case '+', '.', '^', '$' -> end(runs, run, minLength);
                default -> {
                    if (depth == 0) {
                        run.append(c);
                    } else {
                        end(runs, run, minLength);
                    }
                }
            }
            i++;
        }
        end(runs, run, minLength);
        return runs;
    }

    /** Ends the current run, keeping it when it is long enough. */
    private static void end(List<String> runs, StringBuilder run, int minLength) {
        if (run.length() >= minLength) {
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
