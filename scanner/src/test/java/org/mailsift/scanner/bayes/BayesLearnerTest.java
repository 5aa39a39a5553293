package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnOutcome.Status;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;

class BayesLearnerTest {
    @TempDir
    Path temp;
    private BayesStore store;

    private BayesLearner learner(int minLearns, int minTokens, boolean perUser, double guard) {
        store = EmbeddedBayesStore.open(temp.resolve("bayes"));
        BayesSettings s = new BayesSettings(minLearns, minTokens, perUser, null, guard, 0, "embedded", null, null, 0, 2000);
        BayesEngine engine = new BayesEngine(new Tokenizer(TokenizerSettings.defaults()),
                new BayesClassifier(ClassifierSettings.defaults()), store, s);
        return new BayesLearner(engine, MessageParser::parse, null, new Metrics());
    }

    private BayesLearner learner() {
        return learner(200, 11, false, 0);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static LearnRequest spam() {
        return LearnRequest.of(LearnClass.SPAM, "test");
    }

    private static LearnRequest ham() {
        return LearnRequest.of(LearnClass.HAM, "test");
    }

    @Test
    void learningTheSameSpamTwiceIsRefusedWithRspamdsMessage() {
        BayesLearner l = learner();
        assertThat(l.learn(SyntheticMail.spam(1), spam()).status()).isEqualTo(Status.LEARNED);

        LearnOutcome again = l.learn(SyntheticMail.spam(1), spam());

        assertThat(again.status()).isEqualTo(Status.ALREADY_LEARNED);
        assertThat(again.message()).isEqualTo("spam1@sender.example has been already learned as spam, ignore it");
        assertThat(l.statistics().spamLearns()).isEqualTo(1);
    }

    @Test
    void aResentCopyWithAnotherMessageIdIsRecognisedByItsContent() {
        BayesLearner l = learner();
        l.learn(SyntheticMail.spam(2), spam());

        LearnOutcome copy = l.learn(SyntheticMail.spamResent(2, "<other-id@elsewhere.example>"), spam());

        assertThat(copy.status()).isEqualTo(Status.ALREADY_LEARNED);
        assertThat(copy.messageId()).isEqualTo("other-id@elsewhere.example");
    }

    @Test
    void movingAMessageBackOutOfJunkRelearnsItAsHam() {
        BayesLearner l = learner();
        l.learn(SyntheticMail.ham(3), spam());

        LearnOutcome back = l.learn(SyntheticMail.ham(3), ham());

        assertThat(back.status()).isEqualTo(Status.RELEARNED);
        LearnStatistics s = l.statistics();
        assertThat(s.spamLearns()).isZero();
        assertThat(s.hamLearns()).isEqualTo(1);
        assertThat(s.spamTokens()).isZero();
    }

    @Test
    void aMessageWithoutMessageIdIsNamedByItsContentDigest() {
        BayesLearner l = learner();
        l.learn(SyntheticMail.withoutMessageId(4), ham());

        LearnOutcome again = l.learn(SyntheticMail.withoutMessageId(4), ham());

        assertThat(again.messageId()).matches("[a-z2-7]{32}");
        assertThat(again.message()).isEqualTo(again.messageId() + " has been already learned as ham, ignore it");
    }

    @Test
    void aMessageWithTooFewTokensIsRefusedWithTheCount() {
        BayesLearner l = learner(200, 5000, false, 0);

        LearnOutcome o = l.learn(SyntheticMail.spam(5), spam());

        assertThat(o.status()).isEqualTo(Status.TOO_FEW_TOKENS);
        assertThat(o.message()).matches("spam5@sender\\.example contains less tokens than required for bayes classifier: \\d+ < 5000");
        assertThat(l.statistics().spamLearns()).isZero();
    }

    @Test
    void theProbabilityGuardRefusesWhatIsAlreadyCertainButBulkLearnsAnyway() {
        BayesLearner l = learner(20, 11, false, 0.95);
        for (int i = 0; i < 20; i++) {
            l.learn(SyntheticMail.spam(100 + i), new LearnRequest(LearnClass.SPAM, null, true, "test"));
            l.learn(SyntheticMail.ham(100 + i), new LearnRequest(LearnClass.HAM, null, true, "test"));
        }

        LearnOutcome guarded = l.learn(SyntheticMail.spam(500), spam());
        LearnOutcome bulk = l.learn(SyntheticMail.spam(500), new LearnRequest(LearnClass.SPAM, null, true, "test"));

        assertThat(guarded.status()).isEqualTo(Status.DENIED_PROBABILITY);
        assertThat(guarded.message()).contains("already classified as spam with probability");
        assertThat(bulk.status()).isEqualTo(Status.LEARNED);
    }

    @Test
    void perUserLearnsCountForTheOwnerAndGlobally() {
        BayesLearner l = learner(200, 11, true, 0);

        l.learn(SyntheticMail.spam(6), new LearnRequest(LearnClass.SPAM, "Alice@Example.test", false, "imap-watcher"));
        l.learn(SyntheticMail.ham(6), new LearnRequest(LearnClass.HAM, null, false, "cli"));

        LearnStatistics s = l.statistics();
        assertThat(s.spamLearns()).isEqualTo(1);
        assertThat(s.hamLearns()).isEqualTo(1);
        assertThat(s.perUser()).containsOnlyKeys("alice@example.test");
        assertThat(s.perUser().get("alice@example.test")).containsExactly(1, 0);
        assertThat(s.storeKind()).isEqualTo("embedded");
    }

    @Test
    void withoutPerUserStatisticsTheUserIsIgnored() {
        BayesLearner l = learner();

        l.learn(SyntheticMail.spam(7), new LearnRequest(LearnClass.SPAM, "alice@example.test", false, "imap-watcher"));

        assertThat(l.statistics().perUser()).isEmpty();
        assertThat(l.statistics().spamLearns()).isEqualTo(1);
    }
}
