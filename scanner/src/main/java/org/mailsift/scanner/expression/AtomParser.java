package org.mailsift.scanner.expression;

/**
 * Reads one atom of an expression (a symbol name, a regexp such as {@code Subject=/re/i}, a map name...), as
 * Rspamd's {@code rspamd_atom_subr.parse}: given the expression text and where the atom starts, returns the atom and
 * the offset just after it. Throws {@link ExpressionException} (with the offset of the fault) when the text there is
 * no atom.
 *
 * @param <A> what the caller evaluates later (parsed regexp, symbol reference...)
 */
@FunctionalInterface
public interface AtomParser<A> {
    Parsed<A> parse(String text, int start);

    /** An atom and the offset just past its text. */
    record Parsed<A>(A atom, int end) {
    }

    /**
     * Atoms that are plain names (symbols, rule names), ending at whitespace or an operator character as Rspamd's
     * composite atoms do ({@code [; \t()><!|&\n]}); the name is given to {@code factory}.
     */
    static <A> AtomParser<A> names(java.util.function.Function<String, A> factory) {
        return (text, start) -> {
            int end = start;
            while (end < text.length() && !isNameDelimiter(text.charAt(end))) {
                end++;
            }
            if (end == start) {
                throw new ExpressionException("empty atom", start);
            }
            return new Parsed<>(factory.apply(text.substring(start, end)), end);
        };
    }

    /** Whether {@code c} ends a name atom (Rspamd: {@code "; \t()><!|&\n"}, plus the other whitespace). */
    static boolean isNameDelimiter(char c) {
        return switch (c) {
            case ';', ' ', '\t', '\n', '\r', '(', ')', '>', '<', '!', '|', '&' -> true;
            default -> false;
        };
    }
}
