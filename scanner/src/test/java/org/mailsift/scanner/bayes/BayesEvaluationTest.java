package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.message.MessageParser;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.bayes.eval.EvaluationMetrics;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;

/** The benchmark behind {@code mailsift bayes-eval}, on a small made-up corpus and on hand-made scores. */
class BayesEvaluationTest {

    @TempDir
    Path tmp;

    @Test
    void aCleanlySeparableCorpusIsLearnedAndScoredWithoutErrorsAtTheProductsDecisionPoint() throws Exception {
        for (int i = 0; i < 40; i++) {
            Files.createDirectories(tmp.resolve("corpus/spam"));
            Files.createDirectories(tmp.resolve("corpus/ham"));
            Files.write(tmp.resolve("corpus/spam/%03d.eml".formatted(i)), SyntheticMail.spam(i));
            Files.write(tmp.resolve("corpus/ham/%03d.eml".formatted(i)), SyntheticMail.ham(i));
        }
        Corpus corpus = Corpus.split(tmp.resolve("corpus"), false, 1);

        BayesEvaluation.Report r = BayesEvaluation.run(corpus, BayesEvaluation.Variant.defaults(),
                () -> EmbeddedBayesStore.open(tmp.resolve("store")), s -> MessageParser.parse(s.read()));

        assertThat(r.trained()).isEqualTo(40);
        assertThat(r.tested()).isEqualTo(40);
        assertThat(r.oneMinusAucPercent()).isZero();
        assertThat(r.hamMisclassifiedPercent()).isZero();
        assertThat(r.spamMissedPercent()).isZero();
        assertThat(BayesEvaluation.DECISION_POINT).isEqualTo(0.55, within(1e-12));
    }

    @Test
    void spamMissedAtAHamRateUsesTheLowestThresholdThatKeepsHamUnderIt() {
        double[] ham = new double[1000];
        java.util.Arrays.fill(ham, 0.1);
        ham[999] = 0.99; // one ham scores very spammy: 0.1% of the ham
        ham[998] = 0.8;
        double[] spam = {0.7, 0.85, 0.95, 0.999};

        // at <= 0.1% only the worst ham may be above the threshold, so the threshold is 0.8: only 0.7 is missed
        assertThat(EvaluationMetrics.spamMissedAtHamRate(ham, spam, 0.001)).isEqualTo(0.25);
        // at 0% the threshold is the worst ham's 0.99: only 0.999 is caught
        assertThat(EvaluationMetrics.spamMissedAtHamRate(ham, spam, 0.0)).isEqualTo(0.75);
        assertThat(EvaluationMetrics.auc(ham, spam)).isGreaterThan(0.99).isLessThan(1.0);
    }
}
