package org.mailsift.core.scan;

import java.util.List;

/**
 * One symbol that fired.
 *
 * @param name        e.g. MISSING_DATE
 * @param score       final score = weight × runtime score (what X-Spamd-Result shows)
 * @param weight      the configured static weight ("metric_score" in Rspamd's JSON)
 * @param description human readable text
 * @param options     option strings shown in brackets
 */
public record SymbolResult(String name, double score, double weight, String description, List<String> options) {
    public SymbolResult {
        options = options == null ? List.of() : List.copyOf(options);
        description = description == null ? "" : description;
    }
}
