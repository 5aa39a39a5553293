package org.mailsift.scanner.selectors;

/**
 * A selector that cannot be used: a syntax error (with the 1-based character position in the selector text), an
 * unknown extractor or transform, or bad arguments. Configuration loaders turn it into a {@code file:line:column}
 * error of the option that holds the selector.
 */
public final class SelectorException extends IllegalArgumentException {
    private final String selector;
    private final int position;

    public SelectorException(String selector, int position, String problem) {
        super("invalid selector '" + selector + "': " + (position > 0 ? "at position " + position + ": " : "")
                + problem);
        this.selector = selector;
        this.position = position;
    }

    /** The selector text as written. */
    public String selector() {
        return selector;
    }

    /** 1-based character position of the problem in {@link #selector()}, or 0 when it is not one place. */
    public int position() {
        return position;
    }
}
