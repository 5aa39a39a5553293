package org.mailsift.core.scan;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one message, in the terms of Rspamd's /checkv2 reply.
 *
 * @param score          total score
 * @param requiredScore  the reject threshold ("required_score")
 * @param action         chosen action
 * @param thresholds     enabled actions with their thresholds, in Rspamd's wire names ("add header" -&gt; 6.0)
 * @param symbols        symbols that fired, in Rspamd's header order (absolute score descending, then name)
 * @param messageId      Message-ID without angle brackets ("undef" when missing, as Rspamd)
 * @param subject        the rewritten subject when action is rewrite subject, else null
 * @param smtpMessage    SMTP reply text forced by a rule (e.g. GTUBE's "Gtube pattern"), else null
 * @param headerChanges  the verdict's one ordered list of header edits (spoofed headers removed, verdict headers, spam
 *                       header, Subject, then other modules' headers), applied unchanged by every path (see HeaderChange)
 * @param scanTimeSeconds wall time spent scanning
 * @param bayes          Bayes details (mailsift-only), or null when no classifier is wired
 */
public record ScanResult(double score, double requiredScore, Action action, Map<String, Double> thresholds,
                         List<SymbolResult> symbols, String messageId, String subject, String smtpMessage,
                         List<HeaderChange> headerChanges, double scanTimeSeconds, BayesInfo bayes) {

    public ScanResult {
        thresholds = thresholds == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(thresholds));
        symbols = symbols == null ? List.of() : List.copyOf(symbols);
        headerChanges = headerChanges == null ? List.of() : List.copyOf(headerChanges);
    }

    /** The same verdict with {@code changes} as its header edits (the whole list, in order). */
    public ScanResult withHeaderChanges(List<HeaderChange> changes) {
        return new ScanResult(score, requiredScore, action, thresholds, symbols, messageId, subject, smtpMessage, changes, scanTimeSeconds, bayes);
    }

    public boolean hasSymbol(String name) {
        return symbols.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * What the Bayes classifier said.
     *
     * @param probability spam probability at full precision, or NaN when silent
     * @param tokens      number of tokens the message produced
     * @param silentReason why no BAYES_* symbol was produced, or null
     * @param evidence     the classifier's statistic before calibration (mean log-odds per voting token), NaN when
     *                     silent: it keeps ranking messages where the probability rounds to 0 or 1
     */
    public record BayesInfo(double probability, int tokens, String silentReason, double evidence) {
        public BayesInfo(double probability, int tokens, String silentReason) {
            this(probability, tokens, silentReason, Double.NaN);
        }
    }
}
