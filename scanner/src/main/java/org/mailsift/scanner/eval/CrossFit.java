package org.mailsift.scanner.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.message.MessageParser;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.bayes.BayesSettings;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;

/**
 * A corpus split both ways: each half scanned by the full engine with Bayes trained on the other half (in a fresh
 * temporary embedded store), so every message has held-out scores. What fit-scores fits on and validates with.
 *
 * @param name  "seed N" or "chronological"
 * @param first the test half, scanned with Bayes trained on the training half
 * @param second the training half, scanned with Bayes trained on the test half
 */
public record CrossFit(String name, List<ScoredSample> first, List<ScoredSample> second) {

    /** Refuses a folder that is not a labelled corpus, with the reason. */
    public static void requireCorpus(Path root) {
        if (!Files.isDirectory(root.resolve("ham")) || !Files.isDirectory(root.resolve("spam"))) {
            throw new IllegalArgumentException(root + " is not a labelled corpus: it needs ham/ and spam/ folders of one message per file");
        }
    }

    public static CrossFit of(Path root, boolean chronological, long seed, EngineSettings settings, BayesSettings bayes) {
        try {
            Corpus c = Corpus.split(root, chronological, seed);
            return new CrossFit(chronological ? "chronological" : "seed " + seed, score(c, settings, bayes),
                    score(c.swapped(), settings, bayes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ScoredSample> score(Corpus c, EngineSettings settings, BayesSettings bayes) throws IOException {
        Path dir = Files.createTempDirectory("mailsift-eval");
        try {
            return ActionEvaluation.run(c, settings, bayes, () -> EmbeddedBayesStore.open(dir),
                    s -> MessageParser.parse(s.read()), 4);
        } finally {
            deleteTree(dir);
        }
    }

    /** Fit on one half, measure on the other, both ways: [spam flagged %, ham flagged %] per direction. */
    public List<double[]> validate(Map<String, Double> current, Set<String> fixed, double threshold, double maxHamRate) {
        List<double[]> out = new ArrayList<>();
        for (int h = 0; h < 2; h++) {
            List<ScoredSample> fitOn = h == 0 ? second : first;
            List<ScoredSample> test = h == 0 ? first : second;
            ScoreFit.Result fit = ScoreFit.fit(fitOn, current, fixed, threshold, maxHamRate);
            out.add(flaggedRates(test, fit.weights(), current, threshold));
        }
        return out;
    }

    /** [spam flagged %, ham flagged %] when {@code samples} are scored with {@code weights}. */
    public static double[] flaggedRates(List<ScoredSample> samples, Map<String, Double> weights, Map<String, Double> current,
                                        double threshold) {
        int[] n = new int[2];
        int[] f = new int[2];
        for (ScoredSample s : samples) {
            int k = s.spam() ? 1 : 0;
            n[k]++;
            if (ScoreFit.rescore(s, weights, current) >= threshold) {
                f[k]++;
            }
        }
        return new double[] {100.0 * f[1] / Math.max(1, n[1]), 100.0 * f[0] / Math.max(1, n[0])};
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
