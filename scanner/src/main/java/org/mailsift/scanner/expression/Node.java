package org.mailsift.scanner.expression;

import java.util.List;

/** A node of a parsed expression's tree. */
public sealed interface Node<A> {
    /** An atom; {@code negated} when a {@code !} is above it (Rspamd's composites keep such symbols). */
    record Atom<A>(A atom, boolean negated) implements Node<A> {
    }

    /** A number next to an arithmetic or comparison operator, as {@code 2} in {@code A + B >= 2}. */
    record Limit<A>(double value) implements Node<A> {
    }

    /** An operator with its operands in order: one for {@code !}, two for binary, two or more for a chain. */
    record Operation<A>(Operator operator, List<Node<A>> operands) implements Node<A> {
        public Operation {
            operands = List.copyOf(operands);
        }
    }
}
