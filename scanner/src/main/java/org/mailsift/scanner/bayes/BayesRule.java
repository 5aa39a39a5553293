package org.mailsift.scanner.bayes;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.ScanResult.BayesInfo;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bayes classifier as a scan rule: BAYES_SPAM (5.1) or BAYES_HAM (-3.0) with the probability as option
 * ("99.87%") and a runtime score of ((p - 0.5) * 2)^8, so the symbol only weighs in when the classifier is sure,
 * as in Rspamd.
 *
 * <p>Note for the scan engine: this rule reports its details through {@link ScanContext#bayes(BayesInfo)}, a
 * default (no-op) method added to ScanContext by the Bayes work. Override it in the engine's context and put the
 * value in {@code ScanResult.bayes} (mailsift-only "bayes" field of scan --json / checkv2). The rule uses
 * {@code envelope().statisticsOwner()} as the per-user key when per_user is on.
 */
public final class BayesRule implements Rule {
    private static final Logger log = LoggerFactory.getLogger(BayesRule.class);
    public static final String SPAM_SYMBOL = "BAYES_SPAM";
    public static final String HAM_SYMBOL = "BAYES_HAM";
    /** Rspamd's min_prob_strength: no symbol within 0.05 of 0.5. */
    static final double MIN_STRENGTH = 0.05;
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    private final BayesEngine engine;
    private final Metrics metrics;
    private final AtomicLong lastOutageLog = new AtomicLong();

    public BayesRule(BayesEngine engine, Metrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
        metrics.describe("mailsift_bayes_unavailable_total", "scans done without Bayes because its store was unavailable");
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                new SymbolDefinition(SPAM_SYMBOL, "statistics", 5.1, "Message probably spam, probability: "),
                new SymbolDefinition(HAM_SYMBOL, "statistics", -3.0, "Message probably ham, probability: "));
    }

    @Override
    public void check(ScanContext context) {
        BayesInfo info = evaluate(context);
        context.bayes(info);
        if (info.silentReason() != null) {
            return;
        }
        double p = info.probability();
        if (p > 0.5 + MIN_STRENGTH) {
            context.insert(SPAM_SYMBOL, runtimeScore(p), List.of(option(p)));
        } else if (p < 0.5 - MIN_STRENGTH) {
            context.insert(HAM_SYMBOL, runtimeScore(p), List.of(option(p)));
        }
    }

    private BayesInfo evaluate(ScanContext context) {
        MessageTokens tokens = engine.tokenize(context.message());
        try {
            return engine.classify(tokens, engine.owner(context.envelope().statisticsOwner()));
        } catch (BayesStore.UnavailableException e) {
            metrics.increment("mailsift_bayes_unavailable_total");
            long now = System.currentTimeMillis();
            long last = lastOutageLog.get();
            if (now - last > LOG_INTERVAL_MILLIS && lastOutageLog.compareAndSet(last, now)) {
                log.warn("scanning without Bayes: the {} store is unavailable ({})", engine.store().kind(), e.getMessage());
            }
            return new BayesInfo(Double.NaN, tokens.size(), "statistics store unavailable");
        }
    }

    /** Rspamd's rspamd_normalize_probability: ((p - 0.5) * 2)^8 for spam, mirrored for ham. */
    static double runtimeScore(double p) {
        return Math.pow(Math.abs(p - 0.5) * 2, 8);
    }

    /** Rspamd's option text: how far from undecided, in percent ("99.87%"). */
    static String option(double p) {
        return String.format(Locale.ROOT, "%.2f%%", Math.abs(p - 0.5) * 200);
    }
}
