package org.mailsift.scanner.bayes;

/**
 * Knobs of the probability combination (Robinson's f(w) and Fisher's chi-square combining).
 *
 * @param strength       Robinson's s: how many virtual observations the prior {@code x} is worth
 * @param prior          Robinson's x: the probability assumed for a token never seen
 * @param minDeviation   tokens with |f(w) - 0.5| below this are ignored (they only dilute the evidence)
 * @param maxTokens      only the most extreme N tokens take part (0 = all)
 * @param combining      how the token probabilities become one: Fisher's chi-square (Robinson) or the naive
 *                       Bayes log-odds sum squashed by a logistic
 */
public record ClassifierSettings(double strength, double prior, double minDeviation, int maxTokens, Combining combining) {
    public enum Combining { FISHER, LOG_ODDS }

    /**
     * Chosen by the benchmark (see the Bayes note): s = 0.1 (trust observed frequencies once a token has been seen a
     * few times; bogofilter's default robs is 0.0178 for the same reason), x = 0.5, only tokens with
     * |f - 0.5| &gt;= 0.45 vote, i.e. tokens seen (almost) only in one class (bogofilter's min_dev 0.375 for the same
     * reason: weak tokens add noise to the chi-square, and they are the first to drift: on the chronological split
     * 0.45 halves (1-AUC) against 0.4), all of them, Fisher combining (the log-odds sum ranked worse).
     */
    public static ClassifierSettings defaults() {
        return new ClassifierSettings(0.1, 0.5, 0.45, 0, Combining.FISHER);
    }

    public ClassifierSettings with(double strength, double minDeviation, Combining c) {
        return new ClassifierSettings(strength, prior, minDeviation, maxTokens, c);
    }
}
