package org.mailsift.scanner.bayes;

import java.util.Arrays;

import org.mailsift.core.learn.BayesStore.ClassCounts;

/**
 * Classifier over token counts: each token's spam probability is smoothed towards a prior by Robinson's f(w); the
 * tokens far enough from 0.5 vote. By default their log-odds are averaged (with two pseudo-voters of no evidence, so
 * a message with three voting tokens cannot be as sure as one with three hundred) and the average is calibrated
 * into a probability; Fisher's inverse chi-square in both directions remains as an option.
 */
public final class BayesClassifier {
    private final ClassifierSettings settings;
    private static final double CLAMP = 1e-9;
    /** Voters of no evidence added to every message: shrinks the mean of a few tokens towards "unsure". */
    static final double PSEUDO_VOTERS = 2;

    public BayesClassifier(ClassifierSettings settings) {
        this.settings = settings;
    }

    public ClassifierSettings settings() {
        return settings;
    }

    /**
     * The result of one classification.
     *
     * @param probability spam probability in [0, 1]
     * @param usedTokens  tokens that carried evidence (known and far enough from 0.5)
     * @param statistic   the combined evidence before calibration, at full precision (mean log-odds per voting
     *                    token, or Fisher's log-odds): what ranks messages, since p rounds to 0 or 1 at the extremes
     */
    public record Classification(double probability, int usedTokens, double statistic) {
    }

    /** Classifies from per-token counts (aligned arrays) and the learn counts of the same statistics. */
    public Classification classify(long[] spam, long[] ham, ClassCounts learns) {
        double[] f = votingProbabilities(spam, ham, learns);
        int n = f.length;
        if (settings.maxTokens() > 0 && n > settings.maxTokens()) {
            f = mostExtreme(f, n, settings.maxTokens());
            n = f.length;
        }
        if (n == 0) {
            return new Classification(0.5, 0, 0);
        }
        if (settings.combining() == ClassifierSettings.Combining.MEAN_EVIDENCE) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double fw = Math.min(Math.max(f[i], CLAMP), 1 - CLAMP);
                sum += Math.log(fw / (1 - fw));
            }
            double mean = sum / (n + PSEUDO_VOTERS);
            return new Classification(settings.calibration().probability(mean), n, mean);
        }
        if (settings.combining() == ClassifierSettings.Combining.LOG_ODDS) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double fw = Math.min(Math.max(f[i], CLAMP), 1 - CLAMP);
                sum += Math.log(fw / (1 - fw));
            }
            // per-token average evidence, scaled so a typical confident message lands near 0 or 1
            return new Classification(1 / (1 + Math.exp(-sum / Math.sqrt(n))), n, sum / Math.sqrt(n));
        }
        double lnSpam = 0;
        double lnHam = 0;
        for (int i = 0; i < n; i++) {
            double fw = Math.min(Math.max(f[i], CLAMP), 1 - CLAMP);
            lnSpam += Math.log(fw);
            lnHam += Math.log1p(-fw);
        }
        // H = Q(-2 ln prod f, 2n) is small when the tokens are hammy, S = Q(-2 ln prod (1 - f), 2n) when spammy;
        // p = (1 + H - S) / 2 = (H + (1 - S)) / 2 and 1 - p = ((1 - H) + S) / 2, the four terms kept as logarithms
        // so neither side underflows (a ranking by the resulting log-odds was measured: no better than by p).
        double logH = PoissonTail.logLower(-lnSpam, n);
        double log1mH = PoissonTail.logUpper(-lnSpam, n);
        double logS = PoissonTail.logLower(-lnHam, n);
        double log1mS = PoissonTail.logUpper(-lnHam, n);
        double logOdds = PoissonTail.logAdd(logH, log1mS) - PoissonTail.logAdd(log1mH, logS);
        return new Classification(1 / (1 + Math.exp(-logOdds)), n, logOdds);
    }

    /** Robinson's f(w) of every known token far enough from 0.5 to vote (|f - 0.5| &gt;= min_dev). */
    public double[] votingProbabilities(long[] spam, long[] ham, ClassCounts learns) {
        double nSpam = Math.max(1, learns.spam());
        double nHam = Math.max(1, learns.ham());
        double s = settings.strength();
        double x = settings.prior();
        double[] f = new double[spam.length];
        int n = 0;
        for (int i = 0; i < spam.length; i++) {
            long total = spam[i] + ham[i];
            if (total == 0) {
                continue;
            }
            double ps = spam[i] / nSpam;
            double ph = ham[i] / nHam;
            double fw = (s * x + total * (ps / (ps + ph))) / (s + total);
            if (Math.abs(fw - 0.5) >= settings.minDeviation()) {
                f[n++] = fw;
            }
        }
        return Arrays.copyOf(f, n);
    }

    private static double[] mostExtreme(double[] f, int n, int keep) {
        Double[] boxed = new Double[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = f[i];
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(Math.abs(b - 0.5), Math.abs(a - 0.5)));
        double[] out = new double[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = boxed[i];
        }
        return out;
    }
}
