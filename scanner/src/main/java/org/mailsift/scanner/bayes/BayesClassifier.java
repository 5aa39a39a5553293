package org.mailsift.scanner.bayes;

import java.util.Arrays;

import org.mailsift.core.learn.BayesStore.ClassCounts;

/**
 * Robinson-Fisher classifier over token counts: each token's spam probability is smoothed towards a prior by
 * Robinson's f(w), and the evidence is combined with Fisher's inverse chi-square in both directions
 * (H for "ham-like evidence is not random", S for spam), giving {@code (1 + S - H) / 2}.
 */
public final class BayesClassifier {
    private final ClassifierSettings settings;
    private static final double CLAMP = 1e-9;

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
     */
    public record Classification(double probability, int usedTokens) {
    }

    /** Classifies from per-token counts (aligned arrays) and the learn counts of the same statistics. */
    public Classification classify(long[] spam, long[] ham, ClassCounts learns) {
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
            double p = ps / (ps + ph);
            double fw = (s * x + total * p) / (s + total);
            if (Math.abs(fw - 0.5) >= settings.minDeviation()) {
                f[n++] = fw;
            }
        }
        if (settings.maxTokens() > 0 && n > settings.maxTokens()) {
            f = mostExtreme(f, n, settings.maxTokens());
            n = f.length;
        }
        if (n == 0) {
            return new Classification(0.5, 0);
        }
        if (settings.combining() == ClassifierSettings.Combining.LOG_ODDS) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double fw = Math.min(Math.max(f[i], CLAMP), 1 - CLAMP);
                sum += Math.log(fw / (1 - fw));
            }
            // per-token average evidence, scaled so a typical confident message lands near 0 or 1
            return new Classification(1 / (1 + Math.exp(-sum / Math.sqrt(n))), n);
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
        return new Classification(1 / (1 + Math.exp(-logOdds)), n);
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
