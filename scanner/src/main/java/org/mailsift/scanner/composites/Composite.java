package org.mailsift.scanner.composites;

import org.mailsift.core.config.Position;
import org.mailsift.scanner.expression.Expression;

/**
 * One composite of composites.conf: a symbol inserted when its expression over other symbols is true.
 *
 * @param score       the weight (Rspamd's default 0; groups.conf / scores.d may set it too)
 * @param group       Rspamd's default "composite"
 * @param description Rspamd's default: the expression
 * @param position    where it is defined, for messages
 */
public record Composite(String name, Expression<CompositeAtom> expression, double score, CompositePolicy policy,
                        String group, String description, Position position) {
}
