package org.mailsift.scanner.eval;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.bayes.BayesClassifier;
import org.mailsift.scanner.bayes.BayesEngine;
import org.mailsift.scanner.bayes.BayesEvaluation;
import org.mailsift.scanner.bayes.BayesRule;
import org.mailsift.scanner.bayes.BayesSettings;
import org.mailsift.scanner.bayes.ClassifierSettings;
import org.mailsift.scanner.bayes.Tokenizer;
import org.mailsift.scanner.bayes.TokenizerSettings;
import org.mailsift.scanner.bayes.eval.Corpus;

/**
 * Accuracy where the user feels it: Bayes learns the training half through the real learner, then the full engine
 * (every rule, Bayes, the configured weights and action thresholds) scans the test half, and each message's action
 * is counted. This is what {@code mailsift bayes-eval} reports per action and what {@code mailsift fit-scores} fits
 * weights on.
 */
public final class ActionEvaluation {
    private ActionEvaluation() {
    }

    /**
     * Trains on {@code corpus.train()} and scans {@code corpus.test()} with {@code settings}. {@code bayes} gives
     * min_learns / min_tokens (the store is fresh from {@code storeFactory}).
     */
    public static List<ScoredSample> run(Corpus corpus, EngineSettings settings, BayesSettings bayes,
                                         Supplier<BayesStore> storeFactory, Function<Corpus.Sample, ParsedMessage> parse,
                                         int threads) {
        try (BayesStore store = storeFactory.get()) {
            BayesEngine engine = new BayesEngine(new Tokenizer(TokenizerSettings.defaults()),
                    new BayesClassifier(ClassifierSettings.defaults()), store, bayes);
            BayesEvaluation.train(engine, corpus.train(), Math.max(1, threads), parse);
            ScanEngine scanner = EngineFactory.create(settings, List.of(new BayesRule(engine, new Metrics())), Clock.systemUTC());
            return corpus.test().parallelStream().map(s -> score(scanner, s)).toList();
        }
    }

    static ScoredSample score(ScanEngine scanner, Corpus.Sample s) {
        ScanResult r = scanner.scan(s.read(), Envelope.EMPTY);
        Map<String, Double> factors = new LinkedHashMap<>();
        for (SymbolResult sym : r.symbols()) {
            factors.put(sym.name(), sym.weight() == 0 ? 1.0 : sym.score() / sym.weight());
        }
        double evidence = r.bayes() == null ? Double.NaN : r.bayes().evidence();
        return new ScoredSample(s.file().getFileName().toString(), s.label(), r.action(), r.score(), factors, evidence);
    }

    /** Flagged rates and Bayes ranking of one scored test half. */
    public record Summary(int ham, int spam, double spamFlaggedPercent, double hamFlaggedPercent, double spamRejectedPercent,
                          double hamRejectedPercent, double spamAnyActionPercent, double hamAnyActionPercent,
                          double bayesOneMinusAucPercent, double bayesMissedAt01Percent) {

        public static Summary of(List<ScoredSample> scored) {
            List<Double> hamE = new ArrayList<>();
            List<Double> spamE = new ArrayList<>();
            int[] n = new int[2];
            int[] flagged = new int[2];
            int[] rejected = new int[2];
            int[] any = new int[2];
            for (ScoredSample s : scored) {
                int k = s.spam() ? 1 : 0;
                n[k]++;
                flagged[k] += s.flagged() ? 1 : 0;
                rejected[k] += s.action() == org.mailsift.core.scan.Action.REJECT ? 1 : 0;
                any[k] += s.action() != org.mailsift.core.scan.Action.NO_ACTION ? 1 : 0;
                (s.spam() ? spamE : hamE).add(Double.isNaN(s.evidence()) ? 0 : s.evidence());
            }
            double[] h = hamE.stream().mapToDouble(Double::doubleValue).toArray();
            double[] sp = spamE.stream().mapToDouble(Double::doubleValue).toArray();
            boolean ranked = h.length > 0 && sp.length > 0;
            return new Summary(n[0], n[1], pct(flagged[1], n[1]), pct(flagged[0], n[0]), pct(rejected[1], n[1]),
                    pct(rejected[0], n[0]), pct(any[1], n[1]), pct(any[0], n[0]),
                    ranked ? 100 * (1 - org.mailsift.scanner.bayes.eval.EvaluationMetrics.auc(h, sp)) : Double.NaN,
                    ranked ? 100 * org.mailsift.scanner.bayes.eval.EvaluationMetrics.spamMissedAtHamRate(h, sp, 0.001) : Double.NaN);
        }

        private static double pct(int a, int b) {
            return b == 0 ? Double.NaN : 100.0 * a / b;
        }
    }
}
