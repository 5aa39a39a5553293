package org.mailsift.scanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.BayesStore.Applied;
import org.mailsift.core.learn.BayesStore.ClassCounts;
import org.mailsift.core.learn.LearnClass;

/**
 * What every {@link BayesStore} must do, run against each implementation (embedded, Redis).
 * Subclasses provide a fresh, empty store for each test.
 */
public abstract class BayesStoreContract {
    protected BayesStore store;

    /** A new, empty store (each call may be a new instance on the same backend). */
    protected abstract BayesStore openEmpty() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static long[] tokens(long... t) {
        return t;
    }

    @Test
    void aFreshStoreKnowsNothing() {
        assertThat(store.learns(null)).isEqualTo(ClassCounts.ZERO);
        BayesStore.TokenCounts c = store.lookup(null, tokens(1, 2, 3));
        assertThat(c.spam()).containsExactly(0, 0, 0);
        assertThat(c.ham()).containsExactly(0, 0, 0);
        assertThat(store.learnedAs(null, "d1")).isNull();
    }

    @Test
    void learningSpamCountsTheMessageAndEachOfItsTokens() {
        assertThat(store.learn(null, LearnClass.SPAM, "d1", tokens(10, 20, 30))).isEqualTo(Applied.LEARNED);
        assertThat(store.learn(null, LearnClass.SPAM, "d2", tokens(20, 40))).isEqualTo(Applied.LEARNED);
        assertThat(store.learn(null, LearnClass.HAM, "d3", tokens(20, 50))).isEqualTo(Applied.LEARNED);

        BayesStore.TokenCounts c = store.lookup(null, tokens(10, 20, 40, 50, 99));
        assertThat(c.learns()).isEqualTo(new ClassCounts(2, 1));
        assertThat(c.spam()).containsExactly(1, 2, 1, 0, 0);
        assertThat(c.ham()).containsExactly(0, 1, 0, 1, 0);
        assertThat(store.learnedAs(null, "d1")).isEqualTo(LearnClass.SPAM);
        assertThat(store.learnedAs(null, "d3")).isEqualTo(LearnClass.HAM);
    }

    @Test
    void theSameContentLearnedTwiceInTheSameClassCountsOnce() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));
        assertThat(store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2))).isEqualTo(Applied.ALREADY_LEARNED);

        assertThat(store.learns(null)).isEqualTo(new ClassCounts(1, 0));
        assertThat(store.lookup(null, tokens(1)).spam()).containsExactly(1);
    }

    @Test
    void learningTheOtherClassMovesTheMessageOutOfTheFirst() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));
        store.learn(null, LearnClass.SPAM, "d2", tokens(2, 3));

        assertThat(store.learn(null, LearnClass.HAM, "d1", tokens(1, 2))).isEqualTo(Applied.RELEARNED);

        BayesStore.TokenCounts c = store.lookup(null, tokens(1, 2, 3));
        assertThat(c.learns()).isEqualTo(new ClassCounts(1, 1));
        assertThat(c.spam()).containsExactly(0, 1, 1);
        assertThat(c.ham()).containsExactly(1, 1, 0);
        assertThat(store.learnedAs(null, "d1")).isEqualTo(LearnClass.HAM);
    }

    @Test
    void aUsersLearnCountsForThatUserAndForEveryone() {
        store.learn("alice@example.test", LearnClass.SPAM, "d1", tokens(1, 2));
        store.learn(null, LearnClass.HAM, "d2", tokens(2));

        assertThat(store.learns("alice@example.test")).isEqualTo(new ClassCounts(1, 0));
        assertThat(store.learns(null)).isEqualTo(new ClassCounts(1, 1));
        assertThat(store.lookup("alice@example.test", tokens(1, 2)).spam()).containsExactly(1, 1);
        assertThat(store.lookup("alice@example.test", tokens(1, 2)).ham()).containsExactly(0, 0);
        assertThat(store.lookup("bob@example.test", tokens(1)).learns()).isEqualTo(ClassCounts.ZERO);
        assertThat(store.stats().users()).containsOnlyKeys("alice@example.test");
    }

    @Test
    void eachUserHasTheirOwnLearnedCache() {
        store.learn("alice@example.test", LearnClass.SPAM, "d1", tokens(1));

        assertThat(store.learn("bob@example.test", LearnClass.HAM, "d1", tokens(1))).isEqualTo(Applied.LEARNED);
        assertThat(store.learnedAs("alice@example.test", "d1")).isEqualTo(LearnClass.SPAM);
        assertThat(store.learnedAs("bob@example.test", "d1")).isEqualTo(LearnClass.HAM);
        assertThat(store.learnedAs(null, "d1")).isNull();
    }

    @Test
    void statisticsCountDistinctTokensPerClass() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2, 3));
        store.learn(null, LearnClass.SPAM, "d2", tokens(3, 4));
        store.learn(null, LearnClass.HAM, "d3", tokens(3, 5));

        BayesStore.Stats s = store.stats();
        assertThat(s.learns()).isEqualTo(new ClassCounts(2, 1));
        assertThat(s.spamTokens()).isEqualTo(4);
        assertThat(s.hamTokens()).isEqualTo(2);
    }

    @Test
    void unlearningRemovesTokensThatOnlyThatMessageHad() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));
        store.learn(null, LearnClass.HAM, "d1", tokens(1, 2));

        assertThat(store.stats().spamTokens()).isZero();
        assertThat(store.stats().hamTokens()).isEqualTo(2);
    }

    @Test
    void anExportImportedIntoAnEmptyStoreGivesTheSameStatistics() throws Exception {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2, -5));
        store.learn("carol@example.test", LearnClass.HAM, "d2", tokens(2, 3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.exportTo(out);
        store.close();

        store = openEmpty();
        store.importFrom(new ByteArrayInputStream(out.toByteArray()));

        assertThat(store.learns(null)).isEqualTo(new ClassCounts(1, 1));
        assertThat(store.learns("carol@example.test")).isEqualTo(new ClassCounts(0, 1));
        assertThat(store.lookup(null, tokens(1, 2, 3, -5)).spam()).containsExactly(1, 1, 0, 1);
        assertThat(store.lookup(null, tokens(1, 2, 3, -5)).ham()).containsExactly(0, 1, 1, 0);
        assertThat(store.learnedAs("carol@example.test", "d2")).isEqualTo(LearnClass.HAM);
        assertThat(store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2, -5))).isEqualTo(Applied.ALREADY_LEARNED);
    }

    @Test
    void concurrentLearnersGiveExactCounts() throws Exception {
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.learn(null, LearnClass.SPAM, "t" + thread + "-" + i, tokens(7, 1000 + i, 100_000 + thread * 1000L + i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.learns(null).spam()).isEqualTo(threads * perThread);
        assertThat(store.lookup(null, tokens(7, 1000, 1049)).spam()).containsExactly(threads * perThread, threads, threads);
    }
}
