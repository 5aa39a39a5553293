package org.mailsift.scanner.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.bayes.BayesSettings;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;

/** Not a test: cross-fitted weight fits over seeds 1..N (+ chronological): fit on one half, validate on the other. */
public final class ActionTuning {
    static final Map<Path, ParsedMessage> PARSED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int seeds = Integer.parseInt(args[1]);
        double target = Double.parseDouble(System.getProperty("target", "0.001"));
        Map<String, Double> current = FitScoresSupport.defaultWeights();
        List<List<ScoredSample>[]> halves = new ArrayList<>();
        for (int seed = 1; seed <= seeds + 1; seed++) {
            boolean chrono = seed == seeds + 1;
            Corpus c = Corpus.split(root, chrono, chrono ? 1 : seed);
            @SuppressWarnings("unchecked")
            List<ScoredSample>[] ab = new List[] {score(c), score(c.swapped())};
            halves.add(ab);
        }
        for (String t : System.getProperty("targets", "0.001,0.0005").split(",")) {
            double tg = Double.parseDouble(t);
            double ms = 0, mh = 0, ws = 100, wh = 0;
            int k = 0;
            for (int i = 0; i < halves.size(); i++) {
                List<ScoredSample>[] ab = halves.get(i);
                for (int h = 0; h < 2; h++) {
                    ScoreFit.Result fit = ScoreFit.fit(ab[1 - h], current, FitScoresSupport.FIXED, 6, tg);
                    double[] v = validate(ab[h], fit.weights(), current);
                    boolean chrono = i == halves.size() - 1;
                    if (!chrono) {
                        ms += v[0]; mh += v[1]; ws = Math.min(ws, v[0]); wh = Math.max(wh, v[1]); k++;
                    } else {
                        System.out.printf(Locale.ROOT, "target %s chrono half %d: spam %.2f%% ham %.3f%%%n", t, h, v[0], v[1]);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "target %s: mean spam %.2f%% ham %.3f%%; worst spam %.2f%% ham %.3f%% (%d halves)%n",
                    t, ms / k, mh / k, ws, wh, k);
            List<ScoredSample> pooled = new ArrayList<>();
            halves.subList(0, halves.size() - 1).forEach(ab -> { pooled.addAll(ab[0]); pooled.addAll(ab[1]); });
            ScoreFit.Result pf = ScoreFit.fit(pooled, current, FitScoresSupport.FIXED, 6, tg);
            System.out.println("pooled weights (cut " + pf.cut() + ", b0 " + pf.intercept() + "): " + pf.weights());
        }
    }

    static List<ScoredSample> score(Corpus c) throws Exception {
        Path dir = Files.createTempDirectory("act");
        return ActionEvaluation.run(c, EngineSettings.DEFAULTS, BayesSettings.defaults(), () -> EmbeddedBayesStore.open(dir),
                s -> PARSED.computeIfAbsent(s.file(), f -> MessageParser.parse(s.read())), 4);
    }

    static double[] validate(List<ScoredSample> samples, Map<String, Double> w, Map<String, Double> current) {
        int[] n = new int[2];
        int[] f = new int[2];
        for (ScoredSample s : samples) {
            int k = s.spam() ? 1 : 0;
            n[k]++;
            if (ScoreFit.rescore(s, w, current) >= 6) {
                f[k]++;
            }
        }
        return new double[] {100.0 * f[1] / n[1], 100.0 * f[0] / n[0]};
    }
}
