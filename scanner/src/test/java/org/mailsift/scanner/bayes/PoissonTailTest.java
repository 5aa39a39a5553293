package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoissonTailTest {

    /** P(Poisson(m) < k) summed term by term, for small cases. */
    private static double lowerByHand(double m, int k) {
        double term = Math.exp(-m);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += term;
            term *= m / (i + 1);
        }
        return sum;
    }

    @Test
    void bothTailsMatchTheTermByTermSumAndAddUpToOne() {
        double[][] cases = {{3, 2}, {10, 5}, {50, 60}, {0.5, 1}, {30, 3}, {100, 100}};
        for (double[] c : cases) {
            double lower = Math.exp(PoissonTail.logLower(c[0], (int) c[1]));
            double upper = Math.exp(PoissonTail.logUpper(c[0], (int) c[1]));
            assertThat(lower).as("lower %s", java.util.Arrays.toString(c)).isCloseTo(lowerByHand(c[0], (int) c[1]), within(1e-10));
            assertThat(lower + upper).isCloseTo(1.0, within(1e-10));
        }
    }

    @Test
    void aLongMessagesTailsNeitherUnderflowNorRoundToOne() {
        // 3,000 strongly spammy tokens: the chi-square survival is far below the smallest double
        double logLower = PoissonTail.logLower(30_000, 3_000);
        assertThat(logLower).isFinite().isLessThan(-20_000);
        assertThat(PoissonTail.logUpper(30_000, 3_000)).isCloseTo(0, within(1e-10));
    }

    @Test
    void fisherCombiningStillPutsClearSpamAndClearHamAtTheEnds() {
        BayesClassifier c = new BayesClassifier(ClassifierSettings.defaults().with(0.1, 0.45, ClassifierSettings.Combining.FISHER));
        org.mailsift.core.learn.BayesStore.ClassCounts learns = new org.mailsift.core.learn.BayesStore.ClassCounts(100, 100);
        long[] many = new long[50];
        long[] none = new long[50];
        java.util.Arrays.fill(many, 40);
        assertThat(c.classify(many, none, learns).probability()).isGreaterThan(0.99);
        assertThat(c.classify(none, many, learns).probability()).isLessThan(0.01);
    }
}
