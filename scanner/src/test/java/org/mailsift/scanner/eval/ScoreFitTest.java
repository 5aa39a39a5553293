package org.mailsift.scanner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.scan.Action;

/** fit-scores' fitting step on hand-made scored messages. */
class ScoreFitTest {
    private static final Map<String, Double> CURRENT = Map.of("BAYES_SPAM", 5.1, "BAYES_HAM", -3.0, "SUBJ_ALL_CAPS", 3.0,
            "NOISE", 1.0, "MIME_GOOD", -0.1, "RARE", 2.0, "DATE_IN_PAST", 1.0);

    private static ScoredSample sample(int i, boolean spam, Map<String, Double> factors) {
        return new ScoredSample("m" + i, spam ? LearnClass.SPAM : LearnClass.HAM, Action.NO_ACTION, 0, factors, Double.NaN);
    }

    /** 1000 ham and 500 spam: Bayes separates most, SUBJ_ALL_CAPS leans spam, NOISE fires at random, MIME_GOOD leans ham. */
    private static List<ScoredSample> corpus() {
        Random r = new Random(5);
        List<ScoredSample> out = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            boolean spam = i >= 1000;
            Map<String, Double> f = new LinkedHashMap<>();
            double bayes = r.nextDouble();
            if (spam ? bayes < 0.9 : bayes < 0.01) {
                f.put("BAYES_SPAM", 0.6 + 0.4 * r.nextDouble());
            } else {
                f.put("BAYES_HAM", 0.6 + 0.4 * r.nextDouble());
            }
            if (r.nextDouble() < (spam ? 0.3 : 0.02)) {
                f.put("SUBJ_ALL_CAPS", 1.0);
            }
            if (r.nextDouble() < 0.5) {
                f.put("NOISE", 1.0);
            }
            if (r.nextDouble() < (spam ? 0.2 : 0.6)) {
                f.put("MIME_GOOD", 1.0);
            }
            if (i % 500 == 0) {
                f.put("RARE", 1.0);
            }
            f.put("DATE_IN_PAST", 1.0);
            out.add(sample(i, spam, f));
        }
        return out;
    }

    @Test
    void fittedWeightsFlagAtMostTheTargetShareOfTrainingHamAtTheThreshold() {
        List<ScoredSample> data = corpus();
        ScoreFit.Result fit = ScoreFit.fit(data, CURRENT, FitScoresSupport.FIXED, 6, 0.002);

        double[] rates = CrossFit.flaggedRates(data, fit.weights(), CURRENT, 6);
        assertThat(rates[1]).isLessThanOrEqualTo(0.2);
        assertThat(rates[0]).isGreaterThan(60);
        // Bayes carries the decision; a strong spam sign keeps its side of zero, the ham sign its own
        assertThat(fit.weights().get("BAYES_SPAM")).isGreaterThan(fit.weights().get("SUBJ_ALL_CAPS")).isGreaterThan(0);
        assertThat(fit.weights().get("BAYES_HAM")).isLessThan(0);
        assertThat(fit.weights().get("MIME_GOOD")).isLessThanOrEqualTo(0);
        // a symbol firing at random gets (almost) nothing
        assertThat(fit.weights().get("NOISE")).isLessThan(0.5);
    }

    @Test
    void rareAndFixedSymbolsKeepTheirWeights() {
        ScoreFit.Result fit = ScoreFit.fit(corpus(), CURRENT, FitScoresSupport.FIXED, 6, 0.002);

        assertThat(fit.weights()).doesNotContainKeys("RARE", "DATE_IN_PAST");
        assertThat(fit.hits()).containsEntry("RARE", 3);
    }

    @Test
    void aFolderWithoutHamAndSpamIsRefusedWithTheReason(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("spam"));

        assertThatThrownBy(() -> CrossFit.requireCorpus(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs ham/ and spam/");
    }
}
