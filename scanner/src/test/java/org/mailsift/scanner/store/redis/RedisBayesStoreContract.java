package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.store.BayesStoreContract;

/**
 * The store contract plus what only a shared server must do, run against each Redis topology (standalone,
 * Sentinel, Cluster); subclasses say how an operator's configuration reaches that server.
 */
abstract class RedisBayesStoreContract extends BayesStoreContract {
    /** A new store instance (a new client, as another daemon would have) on the test's server. */
    protected abstract RedisBayesStore connect() throws Exception;

    @Override
    protected BayesStore openEmpty() throws Exception {
        RedisBayesStore s = connect();
        s.clear();
        return s;
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
}
