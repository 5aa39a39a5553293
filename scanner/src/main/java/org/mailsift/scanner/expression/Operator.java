package org.mailsift.scanner.expression;

/**
 * The operators of Rspamd's expression language with Rspamd's priorities (higher binds tighter): {@code !} 7,
 * {@code * /} 6, {@code + -} 5, comparisons 4, {@code &} 3, {@code |} 2.
 */
public enum Operator {
    NOT("!", 7, Arity.UNARY),
    MULT("*", 6, Arity.NARY),
    DIVIDE("/", 6, Arity.BINARY),
    PLUS("+", 5, Arity.NARY),
    MINUS("-", 5, Arity.BINARY),
    GE(">=", 4, Arity.BINARY),
    GT(">", 4, Arity.BINARY),
    LE("<=", 4, Arity.BINARY),
    LT("<", 4, Arity.BINARY),
    EQ("==", 4, Arity.BINARY),
    NE("!=", 4, Arity.BINARY),
    AND("&", 3, Arity.NARY),
    OR("|", 2, Arity.NARY);

    /** How many operands: one, two, or a chain of two or more ({@code A & B & C} is one node). */
    public enum Arity { UNARY, BINARY, NARY }

    private final String symbol;
    private final int priority;
    private final Arity arity;

    Operator(String symbol, int priority, Arity arity) {
        this.symbol = symbol;
        this.priority = priority;
        this.arity = arity;
    }

    public String symbol() {
        return symbol;
    }

    public int priority() {
        return priority;
    }

    public Arity arity() {
        return arity;
    }

    /** Arithmetic and comparison operators: after them a number is a limit, not an atom. */
    boolean takesLimit() {
        return this == MULT || this == DIVIDE || this == PLUS || this == MINUS || priority == 4;
    }
}
