package org.mailsift.scanner.bayes.eval;

import java.util.Arrays;

/** Filter-evaluation measures over spam scores (higher = spammier), TREC style. */
public final class EvaluationMetrics {
    private EvaluationMetrics() {
    }

    /** Area under the ROC curve, ties counted half (Mann-Whitney U). */
    public static double auc(double[] ham, double[] spam) {
        double[] all = new double[ham.length + spam.length];
        boolean[] isSpam = new boolean[all.length];
        Integer[] idx = new Integer[all.length];
        for (int i = 0; i < ham.length; i++) {
            all[i] = ham[i];
        }
        for (int i = 0; i < spam.length; i++) {
            all[ham.length + i] = spam[i];
            isSpam[ham.length + i] = true;
        }
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(all[a], all[b]));
        double rankSumSpam = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && all[idx[j + 1]] == all[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (isSpam[idx[k]]) {
                    rankSumSpam += avgRank;
                }
            }
            i = j + 1;
        }
        double u = rankSumSpam - (double) spam.length * (spam.length + 1) / 2;
        return u / ((double) spam.length * ham.length);
    }

    /** Share of {@code values} strictly above {@code threshold}. */
    public static double above(double[] values, double threshold) {
        return Arrays.stream(values).filter(v -> v > threshold).count() / (double) values.length;
    }

    /**
     * Spam missed (share of spam at or below the threshold) at the lowest threshold that keeps the share of ham
     * above it at or below {@code maxHamRate}.
     */
    public static double spamMissedAtHamRate(double[] ham, double[] spam, double maxHamRate) {
        double[] h = ham.clone();
        Arrays.sort(h);
        int allowed = (int) Math.floor(maxHamRate * h.length);
        double threshold = h[h.length - 1 - allowed]; // ham strictly above it: at most 'allowed'
        return 1 - above(spam, threshold);
    }
}
