package org.mailsift.scanner.bayes;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.ScanResult.BayesInfo;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.bayes.eval.EvaluationMetrics;

/**
 * The accuracy and speed benchmark behind {@code mailsift bayes-eval}: train once on the training half (through the
 * real learner, so the learned cache and the probability guard act as in production), then score the test half.
 * Ranking measures use the classifier's statistic at full precision (the calibrated probability rounds to 0 or 1 at
 * the extremes). "Misclassified at the decision point" counts where BAYES_SPAM fires at all (p &gt; 0.55, Rspamd's
 * min_prob_strength 0.05, see {@link BayesRule}); what the user sees, the action, is measured by
 * {@link org.mailsift.scanner.eval.ActionEvaluation}.
 */
public final class BayesEvaluation {

    /** One variant to evaluate. */
    public record Variant(String name, TokenizerSettings tokenizer, ClassifierSettings classifier, double learnGuard) {
        public static Variant defaults() {
            return new Variant("default", TokenizerSettings.defaults(), ClassifierSettings.defaults(), BayesSettings.DEFAULT_LEARN_GUARD);
        }
    }

    /** The probability above which BAYES_SPAM fires: the product's default decision point. */
    public static final double DECISION_POINT = 0.5 + BayesRule.MIN_STRENGTH;

    /** The measures of one run. Rates are percentages; misclassified/missed are at {@link #DECISION_POINT}. */
    public record Report(String variant, String store, int trained, int tested, double oneMinusAucPercent,
                         double hamMisclassifiedPercent, double spamMissedPercent, double spamMissedAtHam01Percent,
                         double spamMissedAtHam1Percent, double learnPerSecond, double classifyPerSecond,
                         Map<LearnOutcome.Status, Integer> learnOutcomes) {

        public static String header() {
            return "| variant | store | (1-AUC)% | ham misclassified % (BAYES_SPAM, p > 0.55) | spam missed % (no BAYES_SPAM) | spam missed at <=0.1% ham | "
                    + "spam missed at <=1% ham | learn msg/s | classify msg/s | learn outcomes |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|";
        }

        public String row() {
            return String.format(Locale.ROOT, "| %s | %s | %.4f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f | %s |",
                    variant, store, oneMinusAucPercent, hamMisclassifiedPercent, spamMissedPercent,
                    spamMissedAtHam01Percent, spamMissedAtHam1Percent, learnPerSecond, classifyPerSecond, learnOutcomes);
        }
    }

    static final int LEARN_THREADS = 4;

    private BayesEvaluation() {
    }

    /**
     * Runs one variant. {@code parse} turns a sample into a parsed message (the CLI reads and parses each file, so
     * the speeds include parsing; a tuning loop may cache).
     */
    public static Report run(Corpus corpus, Variant v, Supplier<BayesStore> storeFactory,
                             Function<Corpus.Sample, ParsedMessage> parse) {
        BayesSettings settings = new BayesSettings(1, 1, false, null, v.learnGuard(), 0, "eval", null, null, 0, 2000);
        try (BayesStore store = storeFactory.get()) {
            BayesEngine engine = new BayesEngine(new Tokenizer(v.tokenizer()), new BayesClassifier(v.classifier()), store, settings);
            long t0 = System.nanoTime();
            Map<LearnOutcome.Status, Integer> outcomes = train(engine, corpus.train(), v.learnGuard() > 0 ? 1 : LEARN_THREADS, parse);
            long t1 = System.nanoTime();
            double[] ham = new double[(int) corpus.test().stream().filter(s -> s.label() == LearnClass.HAM).count()];
            double[] spam = new double[corpus.test().size() - ham.length];
            double[] hamP = new double[ham.length];
            double[] spamP = new double[spam.length];
            int hi = 0;
            int si = 0;
            for (Corpus.Sample s : corpus.test()) {
                BayesInfo info = engine.classify(engine.tokenize(parse.apply(s)), null);
                // rank by the statistic at full precision: the calibrated p rounds to 0 or 1 at the extremes
                double e = Double.isNaN(info.evidence()) ? 0 : info.evidence();
                double p = Double.isNaN(info.probability()) ? 0.5 : info.probability();
                if (s.label() == LearnClass.HAM) {
                    hamP[hi] = p;
                    ham[hi++] = e;
                } else {
                    spamP[si] = p;
                    spam[si++] = e;
                }
            }
            long t2 = System.nanoTime();
            return new Report(v.name(), store.kind(), corpus.train().size(), corpus.test().size(),
                    100 * (1 - EvaluationMetrics.auc(ham, spam)),
                    100 * EvaluationMetrics.above(hamP, DECISION_POINT),
                    100 * (1 - EvaluationMetrics.above(spamP, DECISION_POINT)),
                    100 * EvaluationMetrics.spamMissedAtHamRate(ham, spam, 0.001),
                    100 * EvaluationMetrics.spamMissedAtHamRate(ham, spam, 0.01),
                    corpus.train().size() / ((t1 - t0) / 1e9),
                    corpus.test().size() / ((t2 - t1) / 1e9),
                    new EnumMap<>(outcomes));
        }
    }

    /**
     * Learns {@code samples} through the real learner (learned cache, guard) with {@code threads} learners; without
     * the probability guard the final counts do not depend on the order, so several threads learn at once, as the
     * daemon's learners would (and their fsyncs coalesce). Returns the learn outcomes counted by status.
     */
    public static Map<LearnOutcome.Status, Integer> train(BayesEngine engine, List<Corpus.Sample> samples, int threads,
                                                          Function<Corpus.Sample, ParsedMessage> parse) {
        BayesLearner learner = new BayesLearner(engine, raw -> {
            throw new UnsupportedOperationException();
        }, null, new org.mailsift.core.metrics.Metrics());
        Map<LearnOutcome.Status, Integer> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (Corpus.Sample s : samples) {
                Runnable learn = () -> {
                    MessageTokens tokens = engine.tokenize(parse.apply(s));
                    String digest = tokens.digest();
                    LearnOutcome o = learner.learn(tokens, digest, digest, new LearnRequest(s.label(), null, false, "eval"));
                    outcomes.merge(o.status(), 1, Integer::sum);
                };
                if (threads == 1) {
                    learn.run();
                } else {
                    done.add(pool.submit(learn));
                }
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("learning the training half failed", e);
        } finally {
            pool.shutdown();
        }
        return new EnumMap<>(outcomes);
    }
}
