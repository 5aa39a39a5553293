package org.mailsift.scanner.expression;

/**
 * An expression that cannot be parsed: the message and the 0-based offset in the expression text where the parser
 * stopped (callers add the configuration file's position).
 */
public final class ExpressionException extends RuntimeException {
    private final int offset;

    public ExpressionException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** 0-based offset in the expression text. */
    public int offset() {
        return offset;
    }
}
