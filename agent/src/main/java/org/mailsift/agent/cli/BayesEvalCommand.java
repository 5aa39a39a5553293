package org.mailsift.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.message.MessageParser;
import org.mailsift.scanner.bayes.BayesEvaluation;
import org.mailsift.scanner.bayes.eval.Corpus;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;
import org.mailsift.scanner.store.redis.RedisBayesStore;

/**
 * {@code mailsift bayes-eval CORPUS}: the Bayes accuracy and speed benchmark. CORPUS has {@code ham/} and
 * {@code spam/}; each class is split 50/50 (as Python's random.Random(seed).shuffle does, and/or chronologically by
 * file name), the classifier learns the first half through the real learner and scores the rest. Prints a Markdown
 * table: (1-AUC)%, ham and spam where BAYES_SPAM fires (p &gt; 0.55) or not, spam missed at &lt;= 0.1% and &lt;= 1%
 * ham, and learn/classify messages per second (files read and parsed inside the timing) for the embedded store (a
 * fresh temporary one) and, with {@code --redis}, a Redis server whose Bayes keys are cleared first; then the action
 * table of the full engine with the configured weights (with {@code --seeds N} only that, over seeds 1..N).
 */
public final class BayesEvalCommand implements CliCommand {
    @Override
    public String name() {
        return "bayes-eval";
    }

    @Override
    public String summary() {
        return "Bayes accuracy/speed benchmark on a corpus folder with ham/ and spam/";
    }

    @Override
    public String argumentsSyntax() {
        return "CORPUS_DIR";
    }


    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("mode").hasArg().argName("split|chronological|both")
                .desc("split: shuffled 50/50 per class with --seed; chronological: first half by file name trains (default: both)").get());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("shuffle seed (default 1)").get());
        o.addOption(Option.builder().longOpt("seeds").hasArg().argName("N")
                .desc("measure the actions over seeds 1..N (plus the chronological split with --mode both), with mean and worst; skips the Bayes-only table").get());
        o.addOption(Option.builder().longOpt("redis").hasArg().argName("HOST:PORT")
                .desc("also evaluate the Redis store on this scratch server (its Bayes keys are DELETED)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        if (line.getArgList().size() != 1 || !Files.isDirectory(Path.of(line.getArgList().get(0), "ham"))
                || !Files.isDirectory(Path.of(line.getArgList().get(0), "spam"))) {
            io.err().println("usage: mailsift bayes-eval CORPUS_DIR (with ham/ and spam/ inside)");
            return 2;
        }
        Path corpus = Path.of(line.getArgList().get(0));
        long seed = Long.parseLong(line.getOptionValue("seed", "1"));
        String mode = line.getOptionValue("mode", "both");
        List<Boolean> chronological = switch (mode) {
            case "split" -> List.of(false);
            case "chronological" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("--mode must be split, chronological or both");
        };
        if (line.hasOption("seeds")) {
            return actions(corpus, Integer.parseInt(line.getOptionValue("seeds")), chronological, line, io);
        }
        List<Supplier<BayesStore>> stores = new ArrayList<>();
        stores.add(() -> EmbeddedBayesStore.open(tempDir()));
        String redis = line.getOptionValue("redis");
        if (redis != null) {
            stores.add(() -> {
                RedisBayesStore r = RedisBayesStore.connect(redis, null, 0, 10_000, 0);
                r.clear();
                return r;
            });
        }
        // warm the JIT up on parsing and tokenizing, so the first row's speeds are not those of a cold JVM
        Corpus warm = Corpus.split(corpus, false, seed);
        org.mailsift.scanner.bayes.Tokenizer t = new org.mailsift.scanner.bayes.Tokenizer(
                org.mailsift.scanner.bayes.TokenizerSettings.defaults());
        warm.train().stream().limit(1500).forEach(s -> t.tokenize(MessageParser.parse(s.read())).digest());
        io.out().println("Misclassified/missed count where BAYES_SPAM fires: p > "
                + BayesEvaluation.DECISION_POINT + " (calibrated p; its score stays small below p = 0.9: the action table below is what users see).");
        io.out().println(BayesEvaluation.Report.header().replace("| variant |", "| split |"));
        for (boolean chrono : chronological) {
            Corpus c = Corpus.split(corpus, chrono, seed);
            for (Supplier<BayesStore> store : stores) {
                BayesEvaluation.Report r = BayesEvaluation.run(c, BayesEvaluation.Variant.defaults(), store,
                        s -> MessageParser.parse(s.read()));
                io.out().println(r.row().replaceFirst("\\| default \\|", "| " + (chrono ? "chronological" : "seed " + seed) + " |"));
                io.out().flush();
            }
        }
        io.out().println();
        List<Long> one = chronological.contains(false) ? List.of(seed) : List.of();
        return actions(corpus, one, chronological.contains(true), line, io);
    }

    private int actions(Path corpus, int seeds, List<Boolean> chronological, CommandLine line, Io io) throws Exception {
        List<Long> all = new ArrayList<>();
        for (long s = 1; s <= seeds; s++) {
            all.add(s);
        }
        return actions(corpus, chronological.contains(false) ? all : List.of(), chronological.contains(true), line, io);
    }

    /**
     * The full engine at the configured weights and thresholds: the share of each class flagged (add header, rewrite
     * subject or reject: X-Spam: Yes, into Junk), rejected, and given any action, per split, with mean and worst.
     */
    private int actions(Path corpus, List<Long> seeds, boolean chrono, CommandLine line, Io io) throws Exception {
        org.mailsift.core.config.ConfigDirectory config = ContextLoader.config(line);
        org.mailsift.scanner.EngineSettings settings = org.mailsift.scanner.EngineSettings.from(config);
        org.mailsift.scanner.bayes.BayesSettings bayes = org.mailsift.scanner.bayes.BayesModule.settings(config);
        io.out().println("At the action (full engine, configured weights and thresholds; flagged = add header, rewrite subject or reject):");
        io.out().println("| split | spam flagged % | ham flagged % | spam rejected % | ham rejected % | spam any action % | ham any action % | Bayes (1-AUC)% | Bayes spam missed @<=0.1% ham |");
        io.out().println("|---|---|---|---|---|---|---|---|---|");
        List<org.mailsift.scanner.eval.ActionEvaluation.Summary> shuffled = new ArrayList<>();
        List<Object[]> splits = new ArrayList<>();
        seeds.forEach(s -> splits.add(new Object[] {false, s}));
        if (chrono) {
            splits.add(new Object[] {true, 1L});
        }
        for (Object[] sp : splits) {
            boolean ch = (Boolean) sp[0];
            Corpus c = Corpus.split(corpus, ch, (Long) sp[1]);
            Path dir = tempDir();
            var scored = org.mailsift.scanner.eval.ActionEvaluation.run(c, settings, bayes, () -> EmbeddedBayesStore.open(dir),
                    s -> MessageParser.parse(s.read()), 4);
            var sum = org.mailsift.scanner.eval.ActionEvaluation.Summary.of(scored);
            if (!ch) {
                shuffled.add(sum);
            }
            io.out().println(row(ch ? "chronological" : "seed " + sp[1], sum));
            io.out().flush();
        }
        if (shuffled.size() > 1) {
            io.out().println(String.format(java.util.Locale.ROOT,
                    "| mean of %d seeds | %.2f | %.3f | %.2f | %.3f | %.2f | %.3f | %.4f | %.2f |", shuffled.size(),
                    mean(shuffled, x -> x.spamFlaggedPercent()), mean(shuffled, x -> x.hamFlaggedPercent()),
                    mean(shuffled, x -> x.spamRejectedPercent()), mean(shuffled, x -> x.hamRejectedPercent()),
                    mean(shuffled, x -> x.spamAnyActionPercent()), mean(shuffled, x -> x.hamAnyActionPercent()),
                    mean(shuffled, x -> x.bayesOneMinusAucPercent()), mean(shuffled, x -> x.bayesMissedAt01Percent())));
            io.out().println(String.format(java.util.Locale.ROOT,
                    "| worst seed | %.2f | %.3f | | | | | %.4f | %.2f |",
                    shuffled.stream().mapToDouble(x -> x.spamFlaggedPercent()).min().orElse(Double.NaN),
                    shuffled.stream().mapToDouble(x -> x.hamFlaggedPercent()).max().orElse(Double.NaN),
                    shuffled.stream().mapToDouble(x -> x.bayesOneMinusAucPercent()).max().orElse(Double.NaN),
                    shuffled.stream().mapToDouble(x -> x.bayesMissedAt01Percent()).max().orElse(Double.NaN)));
        }
        return 0;
    }

    private static String row(String name, org.mailsift.scanner.eval.ActionEvaluation.Summary s) {
        return String.format(java.util.Locale.ROOT, "| %s | %.2f | %.3f | %.2f | %.3f | %.2f | %.3f | %.4f | %.2f |", name,
                s.spamFlaggedPercent(), s.hamFlaggedPercent(), s.spamRejectedPercent(), s.hamRejectedPercent(),
                s.spamAnyActionPercent(), s.hamAnyActionPercent(), s.bayesOneMinusAucPercent(), s.bayesMissedAt01Percent());
    }

    private static double mean(List<org.mailsift.scanner.eval.ActionEvaluation.Summary> l,
                               java.util.function.ToDoubleFunction<org.mailsift.scanner.eval.ActionEvaluation.Summary> f) {
        return l.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("mailsift-bayes-eval");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
