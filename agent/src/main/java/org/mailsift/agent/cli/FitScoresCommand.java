package org.mailsift.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.bayes.BayesModule;
import org.mailsift.scanner.bayes.BayesSettings;
import org.mailsift.scanner.eval.CrossFit;
import org.mailsift.scanner.eval.FitScoresSupport;
import org.mailsift.scanner.eval.ScoreFit;
import org.mailsift.scanner.eval.ScoredSample;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * {@code mailsift fit-scores CORPUS}: fits the symbol weights (rules and Bayes) on a labelled corpus for a target
 * ham rate, as SpamAssassin generates its scores, and writes them as a scores.d file. Each seed's split is scanned
 * both ways (each half with Bayes trained on the other), a fit on one half is validated on the other, and the
 * weights written are fitted on every half of every seed together.
 */
public final class FitScoresCommand implements CliCommand {
    @Override
    public String name() {
        return "fit-scores";
    }

    @Override
    public String summary() {
        return "fit symbol weights on a corpus with ham/ and spam/ for a target ham rate; writes a scores.d file";
    }

    @Override
    public String argumentsSyntax() {
        return "CORPUS_DIR";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("seeds").hasArg().argName("N").desc("shuffled splits to fit over (default 5)").get());
        o.addOption(Option.builder().longOpt("target").hasArg().argName("RATE")
                .desc("largest share of training ham add_header may flag (default 0.0005, half of 0.1% for margin)").get());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("FILE")
                .desc("write the weights to FILE (atomically), e.g. /etc/mailsift/local.d/groups.conf; default: print them").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        if (line.getArgList().size() != 1) {
            io.err().println("usage: mailsift fit-scores [--seeds N] [--target RATE] [--out FILE] CORPUS_DIR");
            return 2;
        }
        Path corpus = Path.of(line.getArgList().get(0));
        CrossFit.requireCorpus(corpus);
        int seeds = Integer.parseInt(line.getOptionValue("seeds", "5"));
        double target = Double.parseDouble(line.getOptionValue("target", "0.0005"));
        if (seeds < 1 || !(target > 0 && target < 1)) {
            io.err().println("mailsift: --seeds must be >= 1 and --target between 0 and 1");
            return 2;
        }
        ConfigDirectory config = ContextLoader.config(line);
        EngineSettings settings = EngineSettings.from(config);
        BayesSettings bayes = BayesModule.settings(config);
        double threshold = flagThreshold(settings);
        Map<String, Double> current = FitScoresSupport.weights(settings);
        List<ScoredSample> pooled = new ArrayList<>();
        io.out().println("| split | fitted on | spam flagged % (held out) | ham flagged % (held out) |");
        io.out().println("|---|---|---|---|");
        double meanSpam = 0;
        double meanHam = 0;
        double worstSpam = 100;
        double worstHam = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            CrossFit cf = CrossFit.of(corpus, false, seed, settings, bayes);
            List<double[]> v = cf.validate(current, FitScoresSupport.FIXED, threshold, target);
            for (int h = 0; h < 2; h++) {
                double[] r = v.get(h);
                io.out().printf(Locale.ROOT, "| %s | %s half | %.2f | %.3f |%n", cf.name(), h == 0 ? "training" : "test", r[0], r[1]);
                meanSpam += r[0] / (2.0 * seeds);
                meanHam += r[1] / (2.0 * seeds);
                worstSpam = Math.min(worstSpam, r[0]);
                worstHam = Math.max(worstHam, r[1]);
            }
            io.out().flush();
            pooled.addAll(cf.first());
            pooled.addAll(cf.second());
        }
        String summary = String.format(Locale.ROOT, "held out: spam flagged mean %.2f%% (worst %.2f%%), ham flagged mean %.3f%% (worst %.3f%%)",
                meanSpam, worstSpam, meanHam, worstHam);
        io.out().println(summary);
        ScoreFit.Result fit = ScoreFit.fit(pooled, current, FitScoresSupport.FIXED, threshold, target);
        String text = render(fit, corpus, seeds, target, threshold, summary, settings);
        String out = line.getOptionValue("out");
        if (out == null) {
            io.out().print(text);
        } else {
            Path file = Path.of(out);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            io.out().println("wrote " + file);
        }
        return 0;
    }

    /** The lowest score that flags a message: add header, rewrite subject or reject, whichever is enabled lowest. */
    static double flagThreshold(EngineSettings settings) {
        return java.util.stream.Stream.of(org.mailsift.core.scan.Action.ADD_HEADER, org.mailsift.core.scan.Action.REWRITE_SUBJECT,
                        org.mailsift.core.scan.Action.REJECT)
                .map(a -> settings.actions().thresholds().get(a)).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).min()
                .orElseThrow(() -> new IllegalArgumentException("actions.conf enables none of add_header, rewrite_subject, reject: nothing to fit for"));
    }

    /** The weights as a scores.d file (groups.conf syntax), grouped by each symbol's group. */
    static String render(ScoreFit.Result fit, Path corpus, int seeds, double target, double threshold, String summary,
                         EngineSettings settings) {
        Map<String, SymbolDefinition> defs = EngineFactory.create(settings,
                List.of(new org.mailsift.scanner.bayes.BayesRule(null, new org.mailsift.core.metrics.Metrics())),
                java.time.Clock.systemUTC()).symbols().all();
        Map<String, Map<String, Double>> byGroup = new TreeMap<>();
        fit.weights().forEach((name, w) -> byGroup.computeIfAbsent(defs.get(name).group(), g -> new TreeMap<>()).put(name, w));
        StringBuilder b = new StringBuilder();
        b.append("# Symbol weights fitted by `mailsift fit-scores` on ").append(LocalDate.now()).append(" from ")
                .append(corpus.getFileName()).append(" (").append(seeds).append(" shuffled splits, each half scanned with Bayes trained on the other)\n")
                .append(String.format(Locale.ROOT, "# for a flagging score (add_header) of %s flagging at most %.3f%% of training ham; %s.%n", fmt(threshold), target * 100, summary))
                .append("# Symbols not listed (fewer than ").append(ScoreFit.MIN_HITS)
                .append(" hits, or not judged by a stored corpus) keep their defaults. Re-run when rules change;\n")
                .append("# change single weights in local.d/groups.conf, which is read after this file.\n");
        byGroup.forEach((group, syms) -> {
            b.append("group \"").append(group).append("\" {\n    symbols {\n");
            syms.forEach((name, w) -> b.append("        \"").append(name).append("\" { weight = ").append(fmt(w)).append("; }\n"));
            b.append("    }\n}\n");
        });
        return b.toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
