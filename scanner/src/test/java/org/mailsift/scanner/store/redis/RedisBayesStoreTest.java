package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.LearnQueue;
import org.mailsift.scanner.bayes.QueuedLearn;
import org.mailsift.scanner.store.BayesStoreContract;
import org.mailsift.testsupport.RedisServerExtension;

class RedisBayesStoreTest extends BayesStoreContract {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path temp;

    private RedisBayesStore connect() {
        return RedisBayesStore.connect(redis.server().address(), null, 0, 2000, 0);
    }

    @Override
    protected BayesStore openEmpty() {
        RedisBayesStore s = connect();
        s.clear();
        return s;
    }

    @Test
    void statisticsExportedFromTheEmbeddedStoreImportIntoRedis() throws Exception {
        java.io.ByteArrayOutputStream export = new java.io.ByteArrayOutputStream();
        try (BayesStore embedded = org.mailsift.scanner.store.embedded.EmbeddedBayesStore.open(temp.resolve("embedded"))) {
            embedded.learn(null, LearnClass.SPAM, "d1", tokens(1, 2, -3));
            embedded.learn("erin@example.test", LearnClass.HAM, "d2", tokens(2, 4));
            embedded.exportTo(export);
        }

        store.importFrom(new java.io.ByteArrayInputStream(export.toByteArray()));

        assertThat(store.learns(null)).isEqualTo(new BayesStore.ClassCounts(1, 1));
        assertThat(store.lookup("erin@example.test", tokens(2, 4)).ham()).containsExactly(1, 1);
        assertThat(store.lookup(null, tokens(-3)).spam()).containsExactly(1);
        assertThat(store.learn("erin@example.test", LearnClass.HAM, "d2", tokens(2, 4))).isEqualTo(BayesStore.Applied.ALREADY_LEARNED);
    }

    @Test
    void twoStoresLearningAtOnceAgainstOneRedisGiveExactCounts() throws Exception {
        int perStore = 150;
        try (RedisBayesStore a = connect(); RedisBayesStore b = connect()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (RedisBayesStore s : List.of(a, b)) {
                    for (int half = 0; half < 2; half++) {
                        String name = (s == a ? "a" : "b") + half;
                        futures.add(pool.submit(() -> {
                            for (int i = 0; i < perStore / 2; i++) {
                                // the same content from both daemons must still be counted once
                                String digest = i % 10 == 0 ? "shared" + i : name + "-" + i;
                                s.learn(null, LearnClass.SPAM, digest, tokens(7, 1000 + i));
                            }
                        }));
                    }
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            long shared = java.util.stream.IntStream.range(0, perStore / 2).filter(i -> i % 10 == 0).count();
            long expected = 4L * (perStore / 2) - 3L * shared; // each shared digest learned by 4 tasks, counted once
            assertThat(a.learns(null).spam()).isEqualTo(expected);
            assertThat(b.lookup(null, tokens(7)).spam()).containsExactly(expected);
        }
    }

    @Test
    void whileRedisIsDownCallsFailFastAndLearnsWaitInTheQueueUntilItIsBack() throws Exception {
        LearnQueue queue = new LearnQueue(temp.resolve("queue"));
        redis.server().stop();
        assertThatThrownBy(() -> store.learns(null)).isInstanceOf(BayesStore.UnavailableException.class);
        for (int i = 0; i < 100; i++) {
            try {
                store.learn(null, LearnClass.SPAM, "q" + i, tokens(5, 10_000 + i));
            } catch (BayesStore.UnavailableException e) {
                queue.add(new QueuedLearn(null, LearnClass.SPAM, "q" + i, tokens(5, 10_000 + i)));
            }
        }
        assertThat(queue.size()).isEqualTo(100);
        assertThat(queue.replay(store)).isZero(); // still down: nothing applied, nothing lost

        redis.server().start();
        assertThat(queue.replay(store)).isEqualTo(100);

        assertThat(queue.size()).isZero();
        assertThat(store.learns(null).spam()).isEqualTo(100);
        assertThat(store.lookup(null, tokens(5)).spam()).containsExactly(100);
    }
}
