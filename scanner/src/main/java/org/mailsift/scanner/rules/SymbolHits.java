package org.mailsift.scanner.rules;

import java.util.Collection;

/**
 * The symbols a scan has inserted so far, as {@link FinalRule}s see them after every other rule (Rspamd's scan
 * result at the composites stage). Scores here are runtime scores; the weighted score is weight × runtime score.
 */
public interface SymbolHits {
    boolean has(String symbol);

    /** The inserted symbols' names (a view: it follows later inserts). */
    Collection<String> names();

    /** The runtime score of an inserted symbol, 0 when it is absent. */
    double runtimeScore(String symbol);

    /** The options of an inserted symbol (empty when absent). */
    Collection<String> options(String symbol);

    void insert(String symbol, double runtimeScore);

    /** The symbol stays in the result, with score 0. */
    void removeWeight(String symbol);

    /** The symbol is left out of the result and its headers; its score still counts (Rspamd's "ignored" flag). */
    void hide(String symbol);
}
