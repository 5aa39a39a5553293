package org.mailsift.scanner.multimap;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Rspamd's regexp notation on RE2/J, a linear-time engine (no backtracking, so no pattern or input can stall a scan):
 * {@code /pattern/flags} with flags {@code i} (case-insensitive), {@code m} (multi-line), {@code s} (dot matches
 * newline), {@code x} (extended: unescaped white space outside classes ignored) and Rspamd's own flags ({@code u},
 * {@code r}, {@code O}...) accepted and ignored; a pattern without slashes is the regexp itself. PCRE-only syntax
 * (back references, look-around) is an error, as the file and line report it.
 */
final class RspamdRegex {
    private static final String IGNORED_FLAGS = "urOLPHMBUXQCA";

    private RspamdRegex() {
    }

    /** @throws IllegalArgumentException with a readable reason when the pattern or its flags are bad */
    static Pattern compile(String spec) {
        String body = spec;
        int flags = 0;
        if (spec.length() >= 2 && spec.charAt(0) == '/') {
            int close = spec.lastIndexOf('/');
            if (close > 0) {
                body = spec.substring(1, close);
                for (char f : spec.substring(close + 1).toCharArray()) {
                    switch (f) {
                        case 'i' -> flags |= Pattern.CASE_INSENSITIVE;
                        case 'm' -> flags |= Pattern.MULTILINE;
                        case 's' -> flags |= Pattern.DOTALL;
                        case 'x' -> body = stripExtended(body);
                        default -> {
                            if (IGNORED_FLAGS.indexOf(f) < 0) {
                                throw new IllegalArgumentException("unknown regexp flag '" + f + "' in " + spec);
                            }
                        }
                    }
                }
            }
        }
        try {
            return Pattern.compile(body, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regexp " + spec + ": " + e.getDescription(), e);
        }
    }

    /** A glob ({@code *}, {@code ?}) as an anchored, case-insensitive regexp. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder("^");
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.append('$').toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** PCRE's x flag: white space and #-comments outside character classes are not part of the pattern. */
    private static String stripExtended(String p) {
        StringBuilder out = new StringBuilder(p.length());
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                out.append(c).append(p.charAt(++i));
            } else if (inClass) {
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == '#') {
                while (i + 1 < p.length() && p.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
