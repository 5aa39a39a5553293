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
     * few times), x = 0.5, only tokens with |f - 0.5| &gt;= 0.4 vote (bogofilter's tuned min_dev is 0.375 for the same
     * reason: weak tokens add noise to the chi-square), all of them, Fisher combining (the log-odds sum ranked worse).
     */
    public static ClassifierSettings defaults() {
        return new ClassifierSettings(0.1, 0.5, 0.4, 0, Combining.FISHER);
    }

    public ClassifierSettings with(double strength, double minDeviation, Combining c) {
        return new ClassifierSettings(strength, prior, minDeviation, maxTokens, c);
    }
}
