package org.mailsift.scanner.eval;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.metrics.Metrics;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.bayes.BayesRule;
import org.mailsift.scanner.rules.SymbolDefinition;

/** What a weight fit starts from: the engine's symbols and weights, and the symbols a corpus cannot judge. */
public final class FitScoresSupport {
    /**
     * Never fitted: the date checks (a stored corpus was not scanned when it arrived), GTUBE (a test pattern that
     * forces its action anyway).
     */
    public static final Set<String> FIXED = Set.of("DATE_IN_PAST", "DATE_IN_FUTURE", "GTUBE");

    private FitScoresSupport() {
    }

    /** Every symbol's built-in weight, Bayes included. */
    public static Map<String, Double> defaultWeights() {
        return weights(EngineSettings.DEFAULTS);
    }

    /** Every symbol's weight under {@code settings} (built-in defaults overridden by groups.conf / scores.d). */
    public static Map<String, Double> weights(EngineSettings settings) {
        ScanEngine engine = org.mailsift.scanner.EngineFactory.create(settings, List.of(new BayesRule(null, new Metrics())),
                Clock.systemUTC());
        Map<String, Double> w = new LinkedHashMap<>();
        for (SymbolDefinition d : engine.symbols().all().values()) {
            w.put(d.name(), d.weight());
        }
        return w;
    }
}
