package org.mailsift.scanner.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.scanner.TestConfig.obj;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.scanner.TestConfig;
import org.mailsift.testsupport.RedisServer;

/**
 * The soak's "every acknowledged learn counted once" on its own: learners keep learning through the daemon's Bayes
 * module while a durable Redis (AOF, fsync always) is killed with SIGKILL mid-run and started again. Every learn the
 * module acknowledged (learned, or queued in the outbox) must be in the store exactly once when the outbox is empty,
 * and the store's count must be exactly the learns that were applied.
 */
class LearnsAcrossARedisCrashTest {
    @TempDir
    Path dataDir;

    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server not installed (" + RedisServer.BINARY + ")");
        redis = RedisServer.startDurable();
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyAcknowledgedLearnIsCountedOnceAfterRedisIsKilledMidRun() throws Exception {
        TestConfig config = new TestConfig()
                .with("classifier-bayes", obj("backend", "redis", "timeout", 1.0))
                .with("redis", obj("servers", redis.address()));
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> failed = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        try (BayesModule bayes = BayesModule.open(config, dataDir, new Metrics())) {
            List<Thread> learners = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                learners.add(Thread.ofPlatform().name("learner-" + t).start(() -> {
                    while (running.get()) {
                        int n = next.incrementAndGet();
                        try {
                            LearnOutcome o = bayes.learner().learn(SyntheticMail.spam(n), LearnRequest.of(LearnClass.SPAM, "test"));
                            (o.status() == LearnOutcome.Status.LEARNED || o.status() == LearnOutcome.Status.QUEUED
                                    ? acknowledged : failed).add(n);
                        } catch (RuntimeException e) {
                            failed.add(n); // answered as an error: the client was not told it is learned
                        }
                    }
                }));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 100);
            redis.kill();
            await().atMost(Duration.ofMinutes(2)).until(() -> bayes.learner().statistics().queued() >= 50);
            redis.start();
            int before = acknowledged.size();
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= before + 100);
            running.set(false);
            for (Thread t : learners) {
                t.join();
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> bayes.learner().statistics().queued() == 0);

            long counted = bayes.store().learns(null).spam();
            List<Integer> lost = new ArrayList<>();
            for (int n : acknowledged) {
                if (relearn(bayes, n) != LearnOutcome.Status.ALREADY_LEARNED) {
                    lost.add(n);
                }
            }
            long appliedThoughFailed = failed.stream().filter(n -> relearn(bayes, n) == LearnOutcome.Status.ALREADY_LEARNED).count();
            assertThat(lost).as("acknowledged learns missing from Redis").isEmpty();
            assertThat(counted).isEqualTo(acknowledged.size() + appliedThoughFailed);
        }
    }

    @Test
    void anUnreadableQueuedLearnIsSetAsideAndTheLearnsBehindItAreReplayed() throws Exception {
        LearnOutbox queue = new LearnOutbox(dataDir.resolve("queue"));
        java.nio.file.Files.write(dataDir.resolve("queue").resolve(String.format("%016d.learn", 0)), new byte[] {1, 1}); // cut short
        queue.add(new QueuedLearn(null, LearnClass.SPAM, "behind", new long[] {1, 2, 3}));
        try (var store = org.mailsift.scanner.store.redis.RedisBayesStore.connect(redis.address(), null, 0, 2000, 0)) {
            assertThat(queue.replay(store)).isEqualTo(1);
            assertThat(store.learnedAs(null, "behind")).isEqualTo(LearnClass.SPAM);
        }
        assertThat(queue.size()).isZero();
        assertThat(dataDir.resolve("queue").resolve(String.format("%016d.learn.bad", 0))).exists();
    }

    @Test
    void aStoreFailingUnexpectedlyStopsOneReplayNotTheLaterOnes() {
        LearnOutbox queue = new LearnOutbox(dataDir.resolve("queue"));
        queue.add(new QueuedLearn(null, LearnClass.SPAM, "later", new long[] {4, 5}));
        var failing = java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.mailsift.core.learn.BayesStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("unexpected");
                });

        // on the daemon's scheduled executor an exception escaping here would cancel every later replay
        assertThat(queue.replay((org.mailsift.core.learn.BayesStore) failing)).isZero();

        try (var store = org.mailsift.scanner.store.redis.RedisBayesStore.connect(redis.address(), null, 0, 2000, 0)) {
            assertThat(queue.replay(store)).isEqualTo(1);
        }
    }

    private static LearnOutcome.Status relearn(BayesModule bayes, int n) {
        return bayes.learner().learn(SyntheticMail.spam(n), LearnRequest.of(LearnClass.SPAM, "test")).status();
    }
}
