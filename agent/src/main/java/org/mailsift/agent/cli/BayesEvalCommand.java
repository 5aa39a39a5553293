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
 * {@code spam/}; each class is split 50/50 (shuffled with a fixed seed, and/or chronologically by file name), the
 * classifier learns the first half through the real learner and scores the rest. Prints a Markdown table:
 * (1-AUC)%, ham and spam misclassified at the product's decision point (BAYES_SPAM fires: p &gt; 0.55), spam missed at &lt;= 0.1% and &lt;= 1% ham misclassified, and
 * learn/classify messages per second (files read and parsed inside the timing) for the embedded store (a fresh
 * temporary one) and, with {@code --redis}, a Redis server whose Bayes keys are cleared first.
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
    public boolean usesConfig() {
        return false;
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("mode").hasArg().argName("split|chronological|both")
                .desc("split: shuffled 50/50 per class with --seed; chronological: first half by file name trains (default: both)").get());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("shuffle seed (default 1)").get());
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
        io.out().println("Misclassified/missed are at the product's decision point: BAYES_SPAM fires at p > "
                + BayesEvaluation.DECISION_POINT + " (Bayes alone never reaches add_header: at most 5.1 of 6 points).");
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
        return 0;
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
