package org.mailsift.scanner.bayes;

/**
 * Knobs of the probability combination (Robinson's f(w), the combining rule and the calibration).
 *
 * @param strength       Robinson's s: how many virtual observations the prior {@code x} is worth
 * @param prior          Robinson's x: the probability assumed for a token never seen
 * @param minDeviation   tokens with |f(w) - 0.5| below this are ignored (they only dilute the evidence)
 * @param maxTokens      only the most extreme N tokens take part (0 = all)
 * @param combining      how the token probabilities become one message statistic
 * @param calibration    how that statistic becomes a probability
 */
public record ClassifierSettings(double strength, double prior, double minDeviation, int maxTokens, Combining combining,
                                 Calibration calibration) {

    /**
     * MEAN_EVIDENCE: the voting tokens' log-odds ln(f / (1 - f)) summed and divided by (voters + 2), i.e. the
     * average evidence per token, shrunk towards 0 when few tokens vote. FISHER: Robinson's chi-square combining
     * (the previous default; its p saturates at 0 or 1 with message length). LOG_ODDS: the sum over sqrt(n).
     */
    public enum Combining { MEAN_EVIDENCE, FISHER, LOG_ODDS }

    /**
     * p = 1 / (1 + exp(-(slope * statistic + intercept))): Platt scaling of the statistic, fitted with equal class
     * priors on held-out splits of the SA corpus (see scanner/BAYES.md). Identity for FISHER, whose statistic is
     * already its log-odds.
     */
    public record Calibration(double slope, double intercept) {
        public static final Calibration IDENTITY = new Calibration(1, 0);

        public double probability(double statistic) {
            return 1 / (1 + Math.exp(-(slope * statistic + intercept)));
        }
    }

    /** Fitted over 20 shuffled splits (equal priors); see the Bayes note. */
    public static final Calibration MEAN_EVIDENCE_CALIBRATION = new Calibration(2.57, 4.19);

    public ClassifierSettings(double strength, double prior, double minDeviation, int maxTokens, Combining combining) {
        this(strength, prior, minDeviation, maxTokens, combining,
                combining == Combining.MEAN_EVIDENCE ? MEAN_EVIDENCE_CALIBRATION : Calibration.IDENTITY);
    }

    /**
     * Chosen by the benchmark over 20 shuffled splits plus the chronological one (see the Bayes note): s = 0.1,
     * x = 0.5, only tokens with |f - 0.5| &gt;= 0.45 vote (tokens seen (almost) only in one class: weak tokens add
     * noise and are the first to drift), all of them, mean-evidence combining (ranks long messages by how spammy
     * their tokens are on average instead of by how many there are, which is what sent long list-relayed spam to
     * p = 1e-84 under Fisher).
     */
    public static ClassifierSettings defaults() {
        return new ClassifierSettings(0.1, 0.5, 0.45, 0, Combining.MEAN_EVIDENCE);
    }

    public ClassifierSettings with(double strength, double minDeviation, Combining c) {
        return new ClassifierSettings(strength, prior, minDeviation, maxTokens, c);
    }
}
