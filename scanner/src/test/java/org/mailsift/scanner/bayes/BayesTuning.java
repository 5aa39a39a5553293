package org.mailsift.scanner.bayes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.mailsift.core.learn.BayesStore.ClassCounts;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.bayes.eval.EvaluationMetrics;

/**
 * Not a test: the tuning loop behind the Bayes note. Parses the corpus once, then for each variant tokenizes,
 * counts the training half in memory (as the stores would, learned-cache dedup included) and scores the test
 * half, over seeds 1, 2, 3 and the chronological split. Run with
 * {@code java -cp target/test-classes:target/classes:$(cat cp) org.mailsift.scanner.bayes.BayesTuning CORPUS VARIANT...}.
 */
public final class BayesTuning {
    static java.io.PrintStream DUMP;
    static List<Corpus> SPLITS;
    private static final Map<Path, ParsedMessage> PARSED = new ConcurrentHashMap<>();

    record Variant(String name, TokenizerSettings tokenizer, ClassifierSettings classifier) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<Corpus> splits = new ArrayList<>();
        for (int seed = 1; seed <= Integer.getInteger("seeds", 20); seed++) {
            splits.add(Corpus.split(root, false, seed));
        }
        splits.add(Corpus.split(root, true, 1));
        List<Corpus.Sample> all = new ArrayList<>(splits.get(0).train());
        all.addAll(splits.get(0).test());
        all.parallelStream().forEach(s -> PARSED.put(s.file(), MessageParser.parse(s.read())));
        Map<String, Variant> variants = variants();
        if (System.getProperty("dump") != null) {
            DUMP = new java.io.PrintStream(System.getProperty("dump") + "." + args[1]);
            SPLITS = splits;
        }
        System.out.println("| variant | seed1 (1-AUC)% / m@0.1 | mean | worst | chrono |");
        for (int a = 1; a < args.length; a++) {
            Variant found = variants.get(args[a]);
            if (args[a].startsWith("cfg:")) { // cfg:S,MD
                String[] kv = args[a].substring(4).split(",");
                found = new Variant(args[a], TokenizerSettings.defaults(), new ClassifierSettings(Double.parseDouble(kv[0]), 0.5,
                        Double.parseDouble(kv[1]), 0, ClassifierSettings.Combining.FISHER));
            }
            Variant v = found;
            if (found == null) {
                System.out.println("unknown variant " + args[a] + "; known: " + variants.keySet());
                continue;
            }
            Tokenizer t = new Tokenizer(v.tokenizer());
            Map<Path, long[]> tokens = new ConcurrentHashMap<>();
            Map<Path, String> digests = new ConcurrentHashMap<>();
            all.parallelStream().forEach(s -> {
                MessageTokens mt = t.tokenize(PARSED.get(s.file()));
                tokens.put(s.file(), mt.tokens());
                digests.put(s.file(), mt.digest());
            });
            List<Corpus> use = Boolean.getBoolean("show") ? splits.subList(0, 1) : splits;
            double[][] r = new double[use.size()][];
            java.util.stream.IntStream.range(0, use.size()).parallel().forEach(i ->
                    r[i] = run(use.get(i), tokens::get, digests::get, new BayesClassifier(v.classifier())));
            int seeds = Math.max(1, use.size() - 1);
            double mAuc = 0, mMiss = 0, wAuc = 0, wMiss = 0;
            for (int i = 0; i < seeds; i++) {
                mAuc += r[i][0] / seeds;
                mMiss += r[i][1] / seeds;
                wAuc = Math.max(wAuc, r[i][0]);
                wMiss = Math.max(wMiss, r[i][1]);
            }
            double[] chrono = r[r.length - 1];
            System.out.println(String.format(Locale.ROOT, "| %s | %.4f / %.2f | %.4f / %.2f | %.4f / %.2f | %.4f / %.2f |",
                    v.name(), r[0][0], r[0][1], mAuc, mMiss, wAuc, wMiss, chrono[0], chrono[1]));
        }
        if (DUMP != null) {
            DUMP.close();
        }
    }

    /** (1-AUC)%, spam missed at <= 0.1% ham, ham misclassified at p > 0.55 (BAYES_SPAM fires). */
    static double[] run(Corpus c, Function<Path, long[]> tokens, Function<Path, String> digests, BayesClassifier classifier) {
        Map<String, Corpus.Sample> learned = new LinkedHashMap<>();
        for (Corpus.Sample s : c.train()) {
            learned.put(digests.apply(s.file()), s); // same content learned again: the last class wins (relearn)
        }
        Map<Long, long[]> counts = new HashMap<>();
        long nSpam = 0;
        long nHam = 0;
        for (Corpus.Sample s : learned.values()) {
            int k = s.label() == LearnClass.SPAM ? 0 : 1;
            if (k == 0) {
                nSpam++;
            } else {
                nHam++;
            }
            for (long tok : tokens.apply(s.file())) {
                counts.computeIfAbsent(tok, x -> new long[2])[k]++;
            }
        }
        ClassCounts learns = new ClassCounts(nSpam, nHam);
        double eta = Double.parseDouble(System.getProperty("lr", "0"));
        Map<Long, double[]> w = new HashMap<>();
        if (eta > 0) {
            for (Corpus.Sample s : learned.values()) {
                long[] tk = tokens.apply(s.file());
                double z = 0;
                for (long tok : tk) {
                    double[] x = w.get(tok);
                    z += x == null ? 0 : x[0];
                }
                double g = (s.label() == LearnClass.SPAM ? 1 : 0) - 1 / (1 + Math.exp(-z));
                for (long tok : tk) {
                    w.computeIfAbsent(tok, x -> new double[1])[0] += eta * g;
                }
            }
        }
        int sat = 0;
        List<Double> hamP = new ArrayList<>();
        List<Double> ham = new ArrayList<>();
        List<Double> spam = new ArrayList<>();
        for (Corpus.Sample s : c.test()) {
            long[] tk = tokens.apply(s.file());
            long[] sp = new long[tk.length];
            long[] hm = new long[tk.length];
            for (int i = 0; i < tk.length; i++) {
                long[] n = counts.get(tk[i]);
                if (n != null) {
                    sp[i] = n[0];
                    hm[i] = n[1];
                }
            }
            BayesClassifier.Classification v = classifier.classify(sp, hm, learns);
            double p = v.usedTokens() == 0 ? 0 : v.statistic();
            if (DUMP != null) {
                synchronized (DUMP) {
                    DUMP.println(SPLITS.indexOf(c) + " " + s.label() + " " + s.file().getFileName() + " " + v.statistic() + " " + v.usedTokens() + " " + tk.length + " " + extras(sp, hm, learns, classifier.settings()));
                }
            }
            if (eta > 0) {
                double z = 0;
                for (long tok : tk) {
                    double[] x = w.get(tok);
                    z += x == null ? 0 : x[0];
                }
                p = 1 / (1 + Math.exp(-z));
            }
            if (p == 0 || p == 1) {
                sat++;
            }
            double score = p;

            (s.label() == LearnClass.SPAM ? spam : ham).add(score);
            if (s.label() == LearnClass.HAM) {
                hamP.add(p);
                if (Boolean.getBoolean("show") && p > 0.45) {
                    System.out.printf("  ham %s p=%.12f n=%d%n", s.file().getFileName(), p, v.usedTokens());
                }
            } else if (Boolean.getBoolean("show") && p < 0.5) {
                System.out.printf("  spam %s p=%.12f n=%d%n", s.file().getFileName(), p, v.usedTokens());
            }
        }
        double[] h = ham.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sp = spam.stream().mapToDouble(Double::doubleValue).toArray();
        return new double[] {100 * (1 - EvaluationMetrics.auc(h, sp)), 100 * EvaluationMetrics.spamMissedAtHamRate(h, sp, 0.001),
                100 * EvaluationMetrics.above(hamP.stream().mapToDouble(Double::doubleValue).toArray(), 0.55), sat,
                100 * (1 - EvaluationMetrics.above(sp, 0.55)), 100 * EvaluationMetrics.above(hamP.stream().mapToDouble(Double::doubleValue).toArray(), 0.5),
                100 * (1 - EvaluationMetrics.above(sp, 0.5))};
    }

    /** lnProd f, lnProd (1-f), naive-Bayes log-odds sum, count of spammy (f>.5) and hammy tokens among the voters. */
    static String extras(long[] spam, long[] ham, ClassCounts learns, ClassifierSettings st) {
        double lnS = 0, lnH = 0, nb = 0;
        int ns = 0, nh = 0;
        for (double f : new BayesClassifier(st).votingProbabilities(spam, ham, learns)) {
            double fw = Math.min(Math.max(f, 1e-9), 1 - 1e-9);
            lnS += Math.log(fw);
            lnH += Math.log1p(-fw);
            nb += Math.log(fw / (1 - fw));
            if (fw > 0.5) ns++; else nh++;
        }
        return lnS + " " + lnH + " " + nb + " " + ns + " " + nh;
    }

    static Map<String, Variant> variants() {
        Map<String, Variant> m = new LinkedHashMap<>();
        TokenizerSettings t = TokenizerSettings.defaults();
        ClassifierSettings c = ClassifierSettings.defaults();
        m.put("default", new Variant("default", t, c));
        m.put("robinson", new Variant("s1 x.5 md.1", t, new ClassifierSettings(1, 0.5, 0.1, 0, c.combining())));
        m.put("spambayes", new Variant("s.45 md.1 max150", t, new ClassifierSettings(0.45, 0.5, 0.1, 150, c.combining())));
        m.put("max150", new Variant("default max150", t, new ClassifierSettings(0.1, 0.5, 0.4, 150, c.combining())));
        m.put("w3", new Variant("w3", t.withWindow(3), c));
        m.put("w5", new Variant("w5", t.withWindow(5), c));
        for (TokenizerSettings.Extra e : TokenizerSettings.Extra.values()) {
            m.put(e.name(), new Variant("+" + e.name(), t.withExtras(java.util.Set.of(e)), c));
        }
        var E = TokenizerSettings.Extra.class;
        TokenizerSettings ru = t.withExtras(java.util.EnumSet.of(TokenizerSettings.Extra.RECEIVED, TokenizerSettings.Extra.URL_PARTS));
        TokenizerSettings rus = t.withExtras(java.util.EnumSet.of(TokenizerSettings.Extra.RECEIVED, TokenizerSettings.Extra.URL_PARTS, TokenizerSettings.Extra.SKIP));
        m.put("ru", new Variant("+RECEIVED+URL", ru, c));
        m.put("rus", new Variant("+RECEIVED+URL+SKIP", rus, c));
        m.put("rus-w3", new Variant("rus w3", rus.withWindow(3), c));
        m.put("rus-md35", new Variant("rus md.35", rus, new ClassifierSettings(0.1, 0.5, 0.35, 0, c.combining())));
        m.put("rus-md45", new Variant("rus md.45", rus, new ClassifierSettings(0.1, 0.5, 0.45, 0, c.combining())));
        m.put("rus-s02", new Variant("rus s.02 md.375 (bogofilter)", rus, new ClassifierSettings(0.0178, 0.52, 0.375, 0, c.combining())));
        m.put("rus-s03", new Variant("rus s.3", rus, new ClassifierSettings(0.3, 0.5, 0.4, 0, c.combining())));
        for (double sv : new double[] {0.05, 0.1, 0.2}) {
            for (double md : new double[] {0.45, 0.475, 0.49}) {
                m.put("g" + sv + "-" + md, new Variant("rus s" + sv + " md" + md, rus, new ClassifierSettings(sv, 0.5, md, 0, c.combining())));
            }
        }
        List<String> mx = new ArrayList<>(TokenizerSettings.RSPAMD_META_HEADERS);
        mx.addAll(List.of("Content-Transfer-Encoding", "X-Priority", "X-MSMail-Priority", "Importance", "Precedence", "MIME-Version"));
        TokenizerSettings rusx = new TokenizerSettings(2, true, 2, 32, mx, true, 200_000, rus.extras());
        m.put("rusx", new Variant("rus+metaX md.45", rusx, new ClassifierSettings(0.1, 0.5, 0.45, 0, c.combining())));
        m.put("rusx42", new Variant("rus+metaX md.425", rusx, new ClassifierSettings(0.1, 0.5, 0.425, 0, c.combining())));
        m.put("rusx4", new Variant("rus+metaX md.4", rusx, new ClassifierSettings(0.1, 0.5, 0.4, 0, c.combining())));
        m.put("old", new Variant("previous default (md.4, no extras)", new TokenizerSettings(2, true, 2, 32, TokenizerSettings.RSPAMD_META_HEADERS, true, 200_000), new ClassifierSettings(0.1, 0.5, 0.4, 0, c.combining())));
        ClassifierSettings c45 = new ClassifierSettings(0.1, 0.5, 0.45, 0, c.combining());
        m.put("x-w3", new Variant("rusx md.45 w3", rusx.withWindow(3), c45));
        m.put("x-w1", new Variant("rusx md.45 w1", rusx.withWindow(1), c45));
        m.put("x-nouni", new Variant("rusx md.45 no unigrams", rusx.withUnigrams(false), c45));
        m.put("x-len3", new Variant("rusx md.45 minlen3", rusx.withWordLength(3, 32), c45));
        m.put("x-s15", new Variant("rusx s.15 md.45", rusx, new ClassifierSettings(0.15, 0.5, 0.45, 0, c.combining())));
        m.put("x-s07", new Variant("rusx s.07 md.45", rusx, new ClassifierSettings(0.07, 0.5, 0.45, 0, c.combining())));
        m.put("x-md425", new Variant("rusx md.425", rusx, new ClassifierSettings(0.1, 0.5, 0.425, 0, c.combining())));
        m.put("x-html", new Variant("rusx md.45 +html", rusx.withExtras(java.util.EnumSet.of(TokenizerSettings.Extra.RECEIVED, TokenizerSettings.Extra.URL_PARTS, TokenizerSettings.Extra.SKIP, TokenizerSettings.Extra.HTML_TAGS)), c45));
        m.put("x-hw", new Variant("rusx md.45 +hdrwords", rusx.withExtras(java.util.EnumSet.of(TokenizerSettings.Extra.RECEIVED, TokenizerSettings.Extra.URL_PARTS, TokenizerSettings.Extra.SKIP, TokenizerSettings.Extra.HEADER_WORDS)), c45));
        for (int w = 3; w <= 5; w++) {
            m.put("x-nouni-w" + w, new Variant("rusx md.45 pairs only w" + w, rusx.withUnigrams(false).withWindow(w), c45));
        }
        m.put("x-nouni-md4", new Variant("rusx md.4 pairs only", rusx.withUnigrams(false), c));
        m.put("all", new Variant("+all", t.withExtras(java.util.EnumSet.allOf(TokenizerSettings.Extra.class)), c));
        return m;
    }
}
