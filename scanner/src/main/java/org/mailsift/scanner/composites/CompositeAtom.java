package org.mailsift.scanner.composites;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.mailsift.scanner.expression.AtomParser;
import org.mailsift.scanner.expression.ExpressionException;
import org.mailsift.scanner.regexp.PerlRegex;

/**
 * One atom of a composite expression, as Rspamd's composites read them: optional prefixes {@code ~} (remove the
 * weight only, keep the symbol), {@code -} (remove nothing) and {@code ^} (remove even when another composite wants
 * to keep it); then a symbol name, or a group: {@code g:NAME} (any symbol of the group), {@code g+:NAME} (its
 * positive ones), {@code g-:NAME} (its negative ones); then optionally the options the symbol must have,
 * {@code SYM[opt1,/regexp/]} (each listed option must be among the symbol's options; a {@code /regexp/} matches any).
 *
 * @param text   the atom as written
 * @param prefix the prefix characters before the name ({@code ~-^})
 * @param name   the symbol, or the group's name for a group atom
 * @param kind   symbol or group selection
 */
public record CompositeAtom(String text, String prefix, String name, Kind kind, List<OptionMatch> options) {
    /** What the atom selects. */
    public enum Kind { SYMBOL, GROUP, GROUP_POSITIVE, GROUP_NEGATIVE }

    public CompositeAtom {
        options = List.copyOf(options);
    }

    /** One required option: an exact string, or a regexp that must match one of the symbol's options. */
    public record OptionMatch(String exact, com.google.re2j.Pattern regexp) {
        boolean matchesAny(Collection<String> symbolOptions) {
            for (String o : symbolOptions) {
                if (regexp != null ? regexp.matcher(o).find() : exact.equals(o)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return regexp != null ? "/" + regexp.pattern() + "/" : exact;
        }
    }

    /** Whether the composite's removal policy applies to this atom's symbols, given its prefixes. */
    int removalBits(int policyBits) {
        int bits = policyBits;
        for (char c : prefix.toCharArray()) {
            switch (c) {
                case '~' -> bits &= ~CompositePolicy.HIDE_BIT;
                case '-' -> bits &= ~(CompositePolicy.HIDE_BIT | CompositePolicy.WEIGHT_BIT);
                case '^' -> bits |= CompositePolicy.FORCED_BIT;
                default -> {
                }
            }
        }
        return bits;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Reads composite atoms inside an expression (Rspamd's rspamd_composite_expr_parse). */
    static final AtomParser<CompositeAtom> PARSER = CompositeAtom::parse;

    static AtomParser.Parsed<CompositeAtom> parse(String text, int start) {
        int p = start;
        while (p < text.length() && !AtomParser.isNameDelimiter(text.charAt(p)) && text.charAt(p) != '[') {
            p++;
        }
        String symbol = text.substring(start, p);
        List<OptionMatch> options = new ArrayList<>();
        if (p < text.length() && text.charAt(p) == '[') {
            p = readOptions(text, p + 1, options);
        }
        int nameStart = 0;
        while (nameStart < symbol.length() && !Character.isLetterOrDigit(symbol.charAt(nameStart))) {
            nameStart++;
        }
        String prefix = symbol.substring(0, nameStart);
        if (nameStart == symbol.length() || !prefix.matches("[~^-]*")) {
            throw new ExpressionException("invalid composite atom '" + symbol + "'", start);
        }
        String name = symbol.substring(nameStart);
        Kind kind = Kind.SYMBOL;
        if (name.startsWith("g:") && name.length() > 2) {
            kind = Kind.GROUP;
            name = name.substring(2);
        } else if (name.startsWith("g+:") && name.length() > 3) {
            kind = Kind.GROUP_POSITIVE;
            name = name.substring(3);
        } else if (name.startsWith("g-:") && name.length() > 3) {
            kind = Kind.GROUP_NEGATIVE;
            name = name.substring(3);
        }
        return new AtomParser.Parsed<>(new CompositeAtom(text.substring(start, p), prefix, name, kind, options), p);
    }

    /** Reads {@code opt1, /re/flags, opt2]} from {@code p}; returns the offset after the ']'. */
    private static int readOptions(String text, int p, List<OptionMatch> out) {
        while (true) {
            while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
                p++;
            }
            if (p >= text.length()) {
                throw new ExpressionException("unterminated option list: no ']'", p);
            }
            char c = text.charAt(p);
            if (c == ']') {
                return p + 1;
            }
            int start = p;
            if (c == '/') {
                p++;
                while (p < text.length() && text.charAt(p) != '/') {
                    p += text.charAt(p) == '\\' ? 2 : 1;
                }
                if (p >= text.length()) {
                    throw new ExpressionException("unterminated /regexp/ in option list", start);
                }
                p++;
                while (p < text.length() && text.charAt(p) != ',' && text.charAt(p) != ']') {
                    p++;
                }
                try {
                    out.add(new OptionMatch(null, PerlRegex.compileSlashed(text.substring(start, p).strip())));
                } catch (IllegalArgumentException e) {
                    throw new ExpressionException(e.getMessage(), start);
                }
            } else {
                while (p < text.length() && text.charAt(p) != ',' && text.charAt(p) != ']') {
                    p++;
                }
                out.add(new OptionMatch(text.substring(start, p).strip(), null));
            }
            if (p < text.length() && text.charAt(p) == ',') {
                p++;
            }
        }
    }
}
