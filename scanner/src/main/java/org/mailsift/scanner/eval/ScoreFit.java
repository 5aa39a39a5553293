package org.mailsift.scanner.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fits symbol weights on scored messages, as SpamAssassin generates its scores: an L2-regularised logistic
 * regression over the symbols' runtime factors (classes weighted equally), each weight kept on the side of zero its
 * symbol was written for (a spam sign never becomes a ham sign), then scaled so that the score reaches
 * {@code threshold} (add_header) exactly where at most {@code maxHamRate} of the training ham would be flagged.
 * Written by hand: it is a few dozen lines of gradient descent, and no small, maintained Java library fits a
 * sign-constrained, weighted logistic regression.
 */
public final class ScoreFit {
    /** A symbol must fire on at least this many messages to have its weight fitted; rarer ones keep theirs. */
    public static final int MIN_HITS = 10;
    private static final double LAMBDA = 1e-3;
    private static final int ITERATIONS = 3000;
    private static final double MAX_WEIGHT = 15;
    private static final double MIN_CUT = 0.5;

    /** The fitted weights and what they do on the messages they were fitted on. */
    public record Result(Map<String, Double> weights, Map<String, Integer> hits, double intercept, double cut) {
    }

    private ScoreFit() {
    }

    /**
     * @param current   every symbol's weight now (the sign to keep, and the weight of symbols not fitted)
     * @param fixed     symbols never fitted (e.g. the date checks, which a stored corpus cannot judge)
     */
    public static Result fit(List<ScoredSample> samples, Map<String, Double> current, Set<String> fixed,
                             double threshold, double maxHamRate) {
        Map<String, Integer> hits = new TreeMap<>();
        for (ScoredSample s : samples) {
            s.factors().keySet().forEach(k -> hits.merge(k, 1, Integer::sum));
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Integer> h : hits.entrySet()) {
            Double w = current.get(h.getKey());
            if (h.getValue() >= MIN_HITS && w != null && w != 0 && !fixed.contains(h.getKey())) {
                names.add(h.getKey());
            }
        }
        int d = names.size();
        int n = samples.size();
        int[][] idx = new int[n][];
        double[][] val = new double[n][];
        double[] y = new double[n];
        double[] cw = new double[n];
        long spam = samples.stream().filter(ScoredSample::spam).count();
        double wSpam = n / (2.0 * Math.max(1, spam));
        double wHam = n / (2.0 * Math.max(1, n - spam));
        for (int i = 0; i < n; i++) {
            ScoredSample s = samples.get(i);
            List<Integer> ix = new ArrayList<>();
            List<Double> vx = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                Double f = s.factors().get(names.get(j));
                if (f != null && f != 0) {
                    ix.add(j);
                    vx.add(f);
                }
            }
            idx[i] = ix.stream().mapToInt(Integer::intValue).toArray();
            val[i] = vx.stream().mapToDouble(Double::doubleValue).toArray();
            y[i] = s.spam() ? 1 : 0;
            cw[i] = s.spam() ? wSpam : wHam;
        }
        double[] beta = new double[d];
        double[] sign = new double[d];
        for (int j = 0; j < d; j++) {
            sign[j] = Math.signum(current.get(names.get(j)));
        }
        double b0 = 0;
        // Adagrad-scaled projected gradient descent: converges in a few thousand passes at this size
        double[] g2 = new double[d + 1];
        double rate = 0.5;
        for (int it = 0; it < ITERATIONS; it++) {
            double[] grad = new double[d];
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double eta = b0;
                for (int k = 0; k < idx[i].length; k++) {
                    eta += beta[idx[i][k]] * val[i][k];
                }
                double g = cw[i] * (1 / (1 + Math.exp(-eta)) - y[i]) / n;
                gb += g;
                for (int k = 0; k < idx[i].length; k++) {
                    grad[idx[i][k]] += g * val[i][k];
                }
            }
            for (int j = 0; j < d; j++) {
                double gj = grad[j] + LAMBDA * beta[j];
                g2[j] += gj * gj;
                beta[j] -= rate * gj / (Math.sqrt(g2[j]) + 1e-12);
                if (beta[j] * sign[j] < 0) {
                    beta[j] = 0;
                }
            }
            g2[d] += gb * gb;
            b0 -= rate * gb / (Math.sqrt(g2[d]) + 1e-12);
        }
        // the cut on the linear predictor that flags at most maxHamRate of the ham
        List<Double> hamEta = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (y[i] == 0) {
                double eta = 0;
                for (int k = 0; k < idx[i].length; k++) {
                    eta += beta[idx[i][k]] * val[i][k];
                }
                hamEta.add(eta);
            }
        }
        hamEta.sort((a, b) -> Double.compare(b, a));
        int allowed = (int) Math.floor(maxHamRate * hamEta.size());
        double quantileCut = hamEta.isEmpty() ? 0 : hamEta.get(Math.min(allowed, hamEta.size() - 1)) + 1e-6;
        // never below MIN_CUT: when (almost) no ham scores above zero, the quantile alone would put the threshold a
        // hair above zero and blow the weights up
        double cut = Math.max(quantileCut, MIN_CUT);
        double scale = threshold / cut;
        Map<String, Double> weights = scaled(names, beta, scale);
        // rounding to hundredths and the weight cap move scores a little: shrink until the rounded weights keep
        // the training ham within the target too
        for (int round = 0; round < 20; round++) {
            List<Double> hamScores = new ArrayList<>();
            for (ScoredSample s : samples) {
                if (!s.spam()) {
                    hamScores.add(rescore(s, weights, current));
                }
            }
            hamScores.sort((a, b) -> Double.compare(b, a));
            if (hamScores.size() <= allowed || hamScores.get(allowed) < threshold) {
                break;
            }
            scale *= threshold / (hamScores.get(allowed) + 0.01);
            weights = scaled(names, beta, scale);
        }
        return new Result(weights, hits, b0, cut);
    }

    private static Map<String, Double> scaled(List<String> names, double[] beta, double scale) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            double w = Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, beta[j] * scale));
            weights.put(names.get(j), Math.round(w * 100) / 100.0);
        }
        return weights;
    }

    /** The score each sample would get with {@code weights} instead of the weights it was scanned with. */
    public static double rescore(ScoredSample s, Map<String, Double> weights, Map<String, Double> current) {
        double score = 0;
        for (Map.Entry<String, Double> f : s.factors().entrySet()) {
            Double w = weights.get(f.getKey());
            if (w == null) {
                w = current.getOrDefault(f.getKey(), 0.0);
            }
            score += w * f.getValue();
        }
        return score;
    }
}
