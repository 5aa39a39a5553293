package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.eval.FitScoresSupport;

/** An admin fits the weights on their own mail with `mailsift fit-scores`. */
class FitScoresCommandTest {
    private static final String[] HAM_WORDS = {"meeting", "release", "review", "thursday", "deploy", "minutes", "agenda",
            "patch", "branch", "build", "lunch", "team", "notes", "draft", "schedule", "budget", "report", "client"};
    private static final String[] SPAM_WORDS = {"winner", "lottery", "cash", "prize", "claim", "offer", "free", "viagra",
            "pills", "discount", "casino", "bonus", "urgent", "bank", "transfer", "million", "guaranteed", "cheap"};
    private static final String[] COMMON = {"the", "and", "your", "this", "with", "today", "please", "about", "from"};

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int mailsift(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private static String body(Random r, String[] words, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String[] from = r.nextInt(3) == 0 ? COMMON : words;
            b.append(from[r.nextInt(from.length)]).append(i % 12 == 11 ? ".\n" : " ");
        }
        return b.toString();
    }

    /** 80 ham and 80 spam made of two vocabularies; a few spam shout their subject, a few ham look spammy. */
    private Path corpus() throws IOException {
        Random r = new Random(3);
        for (String c : List.of("ham", "spam")) {
            Files.createDirectories(tmp.resolve("corpus/" + c));
            for (int i = 0; i < 80; i++) {
                boolean spam = c.equals("spam");
                String subject = spam && i % 3 == 0 ? "CLAIM YOUR PRIZE NOW" : spam ? "an offer for you" : "notes from today";
                String text = "From: sender" + i + "@" + (spam ? "promo.example" : "work.example") + "\nTo: alice@example.test\n"
                        + "Subject: " + subject + "\nDate: Tue, 03 Sep 2002 10:00:00 +0000\nMessage-ID: <" + c + i + "@x.example>\n\n"
                        + body(r, spam && i % 10 != 0 || !spam && i % 20 == 0 ? SPAM_WORDS : HAM_WORDS, 60) + "\n";
                Files.writeString(tmp.resolve("corpus/" + c + "/" + String.format("%05d.eml", i)), text);
            }
        }
        return tmp.resolve("corpus");
    }

    private Path config() throws IOException {
        Path etc = StockConfiguration.copyTo(tmp.resolve("etc"));
        Files.writeString(etc.resolve("local.d/classifier-bayes.conf"), "min_learns = 10;\n");
        return etc;
    }

    @Test
    void aFolderThatIsNotALabelledCorpusIsRefusedWithTheReason() throws Exception {
        Files.createDirectories(tmp.resolve("mail/spam"));

        int rc = mailsift("fit-scores", "-c", config().toString(), tmp.resolve("mail").toString());

        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs ham/ and spam/");
    }

    @Test
    void theFittedWeightsAreWrittenWhereTheConfigurationReadsThemAndValidatedOnHeldOutHalves() throws Exception {
        Path etc = config();
        Path corpus = corpus();
        Path groups = etc.resolve("local.d/groups.conf");

        int rc = mailsift("fit-scores", "-c", etc.toString(), "--seeds", "1", "--target", "0.02", "--out", groups.toString(),
                corpus.toString());

        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| seed 1 | training half |", "| seed 1 | test half |",
                "held out: spam flagged mean", "wrote " + groups);
        ConfigDirectory reread = ConfigDirectory.open(etc);
        var weights = FitScoresSupport.weights(EngineSettings.from(reread));
        assertThat(Files.readString(groups)).contains("\"BAYES_SPAM\" { weight = ");
        assertThat(weights.get("BAYES_SPAM")).isPositive();
        assertThat(mailsift("configtest", "-c", etc.toString())).isZero();
    }

    @Test
    void theShippedWeightsLetConfidentBayesAloneFlagAndUnsureBayesAddLittle() throws Exception {
        var settings = EngineSettings.from(ConfigDirectory.open(StockConfiguration.copyTo(tmp.resolve("stock"))));
        double spam = FitScoresSupport.weights(settings).get("BAYES_SPAM");
        double addHeader = settings.actions().thresholds().get(org.mailsift.core.scan.Action.ADD_HEADER);

        assertThat(spam * rspamdRuntimeScore(0.999)).isGreaterThanOrEqualTo(addHeader);
        assertThat(spam * rspamdRuntimeScore(0.75)).isLessThan(0.5);
    }

    /** BAYES_SPAM's runtime score, as Rspamd computes it from the probability: ((p - 0.5) * 2)^8. */
    private static double rspamdRuntimeScore(double p) {
        return Math.pow((p - 0.5) * 2, 8);
    }
}
