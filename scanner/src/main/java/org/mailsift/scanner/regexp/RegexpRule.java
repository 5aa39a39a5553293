package org.mailsift.scanner.regexp;

import org.mailsift.core.config.Position;
import org.mailsift.scanner.expression.Expression;

/**
 * One rule of regexp.conf: a symbol inserted when its expression is non-zero, with the expression's value as
 * runtime score (a match count with the {@code A} flag), as Rspamd's regexp module.
 *
 * @param everyAtom Rspamd's {@code expression_flags = ["noopt"]}: no short-circuit
 */
public record RegexpRule(String symbol, Expression<RegexpAtom> expression, double score, String group,
                         String description, boolean everyAtom, Position position) {
}
