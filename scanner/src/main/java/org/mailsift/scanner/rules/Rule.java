package org.mailsift.scanner.rules;

import java.util.List;

/**
 * One check over a message. A rule declares the symbols it may insert (with default weight, group and description,
 * overridable from groups.conf / scores.d) and inserts them with a runtime score (usually 1.0); the engine computes
 * the final score as weight × runtime score, as Rspamd does. A rule that throws is logged and skipped: one broken
 * rule never drops the message.
 */
public interface Rule {
    List<SymbolDefinition> symbols();

    void check(ScanContext context);
}
