package org.mailsift.scanner.regexp;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A Perl-style regexp as Rspamd writes them ({@code /pattern/flags} or a bare pattern), compiled for RE2/J, whose
 * matching time is linear in the input: no catastrophic backtracking, whatever the pattern. Flags: {@code i} (case
 * insensitive), {@code m} (multi-line), {@code s} (dot matches newline), {@code x} (extended: unescaped whitespace
 * and {@code #} comments are dropped); {@code u}, {@code r}, {@code O}, {@code L}, {@code o} change nothing here
 * (text is always Unicode). What RE2 cannot run (backreferences, lookahead/lookbehind, possessive quantifiers) is
 * an {@link IllegalArgumentException} saying so, for a configtest error.
 */
public final class PerlRegex {
    private PerlRegex() {
    }

    /** Compiles {@code pattern} with Perl flag letters ({@code "is"}). */
    public static Pattern compile(String pattern, String flags) {
        int f = 0;
        boolean extended = false;
        for (char c : flags.toCharArray()) {
            switch (c) {
                case 'i' -> f |= Pattern.CASE_INSENSITIVE;
                case 'm' -> f |= Pattern.MULTILINE;
                case 's' -> f |= Pattern.DOTALL;
                case 'x' -> extended = true;
                case 'u', 'r', 'O', 'L', 'o' -> {
                }
                default -> throw new IllegalArgumentException("unknown regexp flag '" + c + "'");
            }
        }
        String source = extended ? stripExtended(pattern) : pattern;
        try {
            return Pattern.compile(source, f);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(explain(source, e), e);
        }
    }

    /** Compiles {@code /pattern/flags}; a string without slashes is a bare pattern. */
    public static Pattern compileSlashed(String text) {
        if (text.length() >= 2 && text.charAt(0) == '/') {
            int end = text.lastIndexOf('/');
            if (end > 0) {
                return compile(text.substring(1, end), text.substring(end + 1));
            }
        }
        return compile(text, "");
    }

    private static String explain(String source, PatternSyntaxException e) {
        String why = e.getDescription();
        if (source.matches("(?s).*\\(\\?<?[=!].*")) {
            why = "lookahead/lookbehind is not supported by RE2 (linear-time matching); " + why;
        } else if (source.matches("(?s).*\\\\[1-9].*") || source.contains("\\k<")) {
            why = "backreferences are not supported by RE2 (linear-time matching); " + why;
        } else if (source.matches("(?s).*[*+?}]\\+.*")) {
            why = "possessive quantifiers are not supported by RE2; " + why;
        }
        return "invalid regexp /" + source + "/: " + why;
    }

    /** Perl's /x: whitespace and #-comments outside character classes are not part of the pattern. */
    static String stripExtended(String p) {
        StringBuilder sb = new StringBuilder(p.length());
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                sb.append(c).append(p.charAt(++i));
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                sb.append(c);
            } else if (c == '[') {
                inClass = true;
                sb.append(c);
            } else if (c == '#') {
                while (i + 1 < p.length() && p.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
