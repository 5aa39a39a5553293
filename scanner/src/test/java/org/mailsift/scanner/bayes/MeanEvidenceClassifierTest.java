package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.mailsift.core.learn.BayesStore.ClassCounts;

/** The default combining: the mean evidence of the voting tokens, calibrated into a probability. */
class MeanEvidenceClassifierTest {
    private final BayesClassifier classifier = new BayesClassifier(ClassifierSettings.defaults());
    private final ClassCounts learns = new ClassCounts(1000, 1000);

    /** A message of {@code spammy} tokens seen only in spam and {@code hammy} tokens seen only in ham. */
    private BayesClassifier.Classification message(int spammy, int hammy, long seen) {
        long[] spam = new long[spammy + hammy];
        long[] ham = new long[spammy + hammy];
        Arrays.fill(spam, 0, spammy, seen);
        Arrays.fill(ham, spammy, spammy + hammy, seen);
        return classifier.classify(spam, ham, learns);
    }

    @Test
    void aMessageOfSpamTokensIsConfidentSpamAndOneOfHamTokensConfidentHam() {
        assertThat(message(60, 0, 30).probability()).isGreaterThan(0.999);
        assertThat(message(0, 60, 30).probability()).isLessThan(0.001);
    }

    @Test
    void aLongListRelayedMessageIsNoSurerThanAShortOneWithTheSameMixOfEvidence() {
        // Fisher's chi-square grew surer with every token, so a long rant relayed through a ham mailing list
        // (many hammy route/footer tokens, some spammy ones) ended at p = 1e-84, below almost every real ham
        BayesClassifier.Classification shortOne = message(20, 40, 30);
        BayesClassifier.Classification longOne = message(200, 400, 30);
        assertThat(longOne.statistic()).isCloseTo(shortOne.statistic(), org.assertj.core.api.Assertions.within(0.1));
        assertThat(longOne.probability()).isBetween(0.001, 0.999);
    }

    @Test
    void threeVotingTokensCannotBeAsSureAsThreeHundred() {
        assertThat(message(3, 0, 30).statistic()).isLessThan(message(300, 0, 30).statistic() * 0.7);
    }

    @Test
    void aMessageWithNoKnownTokenIsUndecided() {
        BayesClassifier.Classification v = classifier.classify(new long[5], new long[5], learns);
        assertThat(v.usedTokens()).isZero();
        assertThat(v.probability()).isEqualTo(0.5);
    }

    @Test
    void theProbabilityIsTheCalibratedStatisticAndRisesWithIt() {
        BayesClassifier.Classification balanced = message(30, 30, 30);
        assertThat(balanced.statistic()).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(balanced.probability()).isCloseTo(ClassifierSettings.MEAN_EVIDENCE_CALIBRATION.probability(0),
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(message(10, 50, 30).probability()).isLessThan(message(20, 40, 30).probability());
        assertThat(message(20, 40, 30).probability()).isLessThan(balanced.probability());
        assertThat(balanced.probability()).isLessThan(message(40, 20, 30).probability());
    }
}
