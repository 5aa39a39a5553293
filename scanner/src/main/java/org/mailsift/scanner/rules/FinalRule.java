package org.mailsift.scanner.rules;

import org.mailsift.scanner.SymbolTable;

/**
 * A rule that runs after all the others, the network checks included, and before the score is summed: it sees every
 * symbol inserted and may add symbols or take their weight away (Rspamd's composites stage). Its {@link #check}
 * does nothing; the engine calls {@link #finish} instead. Not run when a pre-result (GTUBE) ended the scan.
 */
public interface FinalRule extends Rule {
    /** @param symbols every known symbol's weight and group (for weighted scores and {@code g:group} atoms) */
    void finish(SymbolHits hits, SymbolTable symbols);

    @Override
    default void check(ScanContext context) {
    }
}
