package org.mailsift.scanner.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.BayesStore.ClassCounts;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.store.BayesStoreContract;

class EmbeddedBayesStoreTest extends BayesStoreContract {
    @TempDir
    Path temp;
    private int opened;

    @Override
    protected BayesStore openEmpty() {
        return EmbeddedBayesStore.open(temp.resolve("store" + opened++));
    }

    @Test
    void learnsSurviveAReopen() {
        Path dir = temp.resolve("reopen");
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            s.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));
            s.learn("dave@example.test", LearnClass.HAM, "d2", tokens(2, 3));
        }
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            assertThat(s.learns(null)).isEqualTo(new ClassCounts(1, 1));
            assertThat(s.learns("dave@example.test")).isEqualTo(new ClassCounts(0, 1));
            assertThat(s.lookup(null, tokens(2)).spam()).containsExactly(1);
            assertThat(s.learnedAs(null, "d1")).isEqualTo(LearnClass.SPAM);
        }
    }

    @Test
    void manySnapshotsAndJournalsReplayToTheSameState() {
        Path dir = temp.resolve("rolling");
        try (BayesStore s = EmbeddedBayesStore.open(dir, 2048)) {
            for (int i = 0; i < 300; i++) {
                s.learn(null, i % 3 == 0 ? LearnClass.HAM : LearnClass.SPAM, "m" + i, tokens(1, i + 10, i + 11));
            }
        }
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            assertThat(s.learns(null)).isEqualTo(new ClassCounts(200, 100));
            assertThat(s.lookup(null, tokens(1)).spam()).containsExactly(200);
            assertThat(s.lookup(null, tokens(1)).ham()).containsExactly(100);
        }
    }

    @Test
    void aTornJournalTailIsDroppedAndTheRestKept() throws Exception {
        Path dir = temp.resolve("torn");
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            s.learn(null, LearnClass.SPAM, "d1", tokens(1));
        }
        // a learn cut by kill -9 in the middle of its record: a length prefix and half a payload
        Files.write(dir.resolve("bayes-1.journal"), new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 1, 1, 0});
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            assertThat(s.learns(null)).isEqualTo(new ClassCounts(1, 0));
            s.learn(null, LearnClass.HAM, "d2", tokens(2));
        }
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            assertThat(s.learns(null)).isEqualTo(new ClassCounts(1, 1));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        Path dir = temp.resolve("locked");
        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            assertThatThrownBy(() -> EmbeddedBayesStore.open(dir)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("already open");
        }
    }
}
