package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.arr;
import static org.mailsift.scanner.TestConfig.obj;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.TestConfig;

class BayesModuleTest {
    @TempDir
    Path dataDir;

    private static void train(BayesModule bayes, int each) {
        for (int i = 0; i < each; i++) {
            bayes.learner().learn(SyntheticMail.spam(i), LearnRequest.of(LearnClass.SPAM, "test"));
            bayes.learner().learn(SyntheticMail.ham(i), LearnRequest.of(LearnClass.HAM, "test"));
        }
    }

    private static RecordingContext scan(BayesModule bayes, byte[] raw) {
        RecordingContext ctx = new RecordingContext(raw, Envelope.EMPTY);
        bayes.rule().check(ctx);
        return ctx;
    }

    @Test
    void bayesStaysSilentUntilEachClassHasMinLearnsAndSaysWhy() {
        TestConfig config = new TestConfig().with("classifier-bayes", obj("min_learns", 20));
        try (BayesModule bayes = BayesModule.open(config, dataDir, new Metrics())) {
            train(bayes, 5);

            RecordingContext ctx = scan(bayes, SyntheticMail.spam(900));

            assertThat(ctx.inserted).isEmpty();
            assertThat(ctx.bayes.silentReason()).isEqualTo("not enough learns: spam 5 < 20");
            assertThat(ctx.bayes.probability()).isNaN();
        }
    }

    @Test
    void aTrainedClassifierMarksSpamAndHamWithRspamdsSymbolsAndOptions() {
        TestConfig config = new TestConfig().with("classifier-bayes", obj("min_learns", 20));
        try (BayesModule bayes = BayesModule.open(config, dataDir, new Metrics())) {
            train(bayes, 25);

            RecordingContext spam = scan(bayes, SyntheticMail.spam(901));
            RecordingContext ham = scan(bayes, SyntheticMail.ham(901));

            assertThat(spam.inserted).singleElement().satisfies(s -> {
                assertThat(s.symbol()).isEqualTo("BAYES_SPAM");
                assertThat(s.runtimeScore()).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
                assertThat(s.options()).singleElement().asString().matches("\\d{1,3}\\.\\d{2}%");
            });
            assertThat(spam.bayes.probability()).isGreaterThan(0.95);
            assertThat(ham.inserted).extracting(RecordingContext.Inserted::symbol).containsExactly("BAYES_HAM");
            assertThat(ham.bayes.probability()).isLessThan(0.05);
        }
    }

    @Test
    void theRuntimeScoreOnlyRisesWhenTheClassifierIsConfident() {
        assertThat(BayesRule.runtimeScore(0.6)).isLessThan(0.001);
        assertThat(BayesRule.runtimeScore(0.99)).isGreaterThan(0.85);
        assertThat(BayesRule.option(0.99935)).isEqualTo("99.87%");
    }

    @Test
    void unknownOptionsAreReportedAsConfigurationWarnings() {
        TestConfig config = new TestConfig().with("classifier-bayes", obj("min_learns", 20, "min_lerns", 5));
        try (BayesModule bayes = BayesModule.open(config, dataDir, new Metrics())) {
            assertThat(config.warnings()).singleElement().asString().contains("unknown option 'min_lerns' in classifier-bayes");
        }
    }

    @Test
    void autolearnTakesTheRspamdForms() {
        assertThat(settings(obj("autolearn", true)).autolearn()).isEqualTo(new BayesSettings.Autolearn(-0.01, 15.0));
        assertThat(settings(obj("autolearn", arr(-2.5, 9))).autolearn()).isEqualTo(new BayesSettings.Autolearn(-2.5, 9));
        assertThat(settings(obj("autolearn", obj("spam_threshold", 6.0, "ham_threshold", -0.5))).autolearn())
                .isEqualTo(new BayesSettings.Autolearn(-0.5, 6.0));
        assertThat(settings(obj()).autolearn()).isNull();
    }

    private static BayesSettings settings(org.mailsift.core.config.UclObject bayes) {
        return BayesModule.settings(new TestConfig().with("classifier-bayes", bayes));
    }

    @Test
    void autolearnNeverLearnsFromLocalOrAuthenticatedSenders() {
        BayesAutolearn al = new BayesAutolearn(null, new BayesSettings.Autolearn(-0.5, 6.0), new Metrics());
        Envelope stranger = Envelope.builder().clientIp("203.0.113.9").build();
        Envelope authenticated = Envelope.builder().clientIp("203.0.113.9").authUser("alice").build();
        Envelope local = Envelope.builder().clientIp("127.0.0.1").build();

        assertThat(al.decide(stranger, result(12, List.of()))).isEqualTo(LearnClass.SPAM);
        assertThat(al.decide(stranger, result(-1, List.of()))).isEqualTo(LearnClass.HAM);
        assertThat(al.decide(stranger, result(3, List.of()))).isNull();
        assertThat(al.decide(authenticated, result(12, List.of()))).isNull();
        assertThat(al.decide(local, result(12, List.of()))).isNull();
        assertThat(al.decide(Envelope.EMPTY, result(12, List.of()))).isNull();
        assertThat(al.decide(stranger, result(12, List.of(new SymbolResult("BAYES_SPAM", 5.1, 5.1, "", List.of())))))
                .as("Bayes already put it there").isNull();
    }

    @Test
    void outboundHamLearnsTheCleanMailOfAuthenticatedSendersOnly() {
        BayesAutolearn al = new BayesAutolearn(null, null, new OutboundHam(true, null, false), new Metrics());
        Envelope authenticated = Envelope.builder().clientIp("203.0.113.9").authUser("alice").build();
        Envelope stranger = Envelope.builder().clientIp("203.0.113.9").build();
        Envelope webmail = Envelope.builder().clientIp("127.0.0.1").build();

        assertThat(al.decide(authenticated, result(1.5, List.of()))).isEqualTo(LearnClass.HAM);
        assertThat(al.decide(authenticated, result(5, Action.GREYLIST, List.of()))).as("not clean").isNull();
        assertThat(al.decide(authenticated, result(16, Action.REJECT, List.of()))).as("a hijacked account").isNull();
        assertThat(al.decide(authenticated, result(-3, List.of(new SymbolResult("BAYES_HAM", -3, -3, "", List.of())))))
                .as("Bayes already put it there").isNull();
        assertThat(al.decide(stranger, result(-3, List.of()))).as("score-based autolearn is off").isNull();
        assertThat(al.decide(webmail, result(0, List.of()))).as("outbound_ham_local is off").isNull();

        BayesAutolearn withLocal = new BayesAutolearn(null, null, new OutboundHam(true, 2.0, true), new Metrics());
        assertThat(withLocal.decide(webmail, result(1.5, List.of()))).isEqualTo(LearnClass.HAM);
        assertThat(withLocal.decide(webmail, result(2.5, List.of()))).as("over outbound_ham_max_score").isNull();
        assertThat(withLocal.decide(Envelope.EMPTY, result(0, List.of()))).as("no client address at all").isNull();
    }

    @Test
    void outboundHamIsReadFromClassifierBayes() {
        assertThat(OutboundHam.from(obj())).isEqualTo(OutboundHam.OFF);
        assertThat(OutboundHam.from(obj("outbound_ham", true, "outbound_ham_max_score", 3.0)))
                .isEqualTo(new OutboundHam(true, 3.0, false));
    }

    private static ScanResult result(double score, List<SymbolResult> symbols) {
        return result(score, Action.NO_ACTION, symbols);
    }

    private static ScanResult result(double score, Action action, List<SymbolResult> symbols) {
        return new ScanResult(score, 15, action, null, symbols, "id", null, null, null, 0, null);
    }
}
