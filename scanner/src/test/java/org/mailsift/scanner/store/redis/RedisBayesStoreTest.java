package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.LearnOutbox;
import org.mailsift.scanner.bayes.QueuedLearn;
import org.mailsift.testsupport.RedisServerExtension;

class RedisBayesStoreTest extends RedisBayesStoreContract {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path temp;

    @Override
    protected RedisBayesStore connect() {
        return RedisBayesStore.connect(redis.server().address(), null, 0, 2000, 0);
    }

    @Test
    void aServerThatForgotItsScriptsGetsThemAgain() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));
        try (var client = io.lettuce.core.RedisClient.create("redis://" + redis.server().address());
             var admin = client.connect()) {
            admin.sync().scriptFlush(); // what a restart or a failover to a replica does to the script cache
        }

        assertThat(store.learn(null, LearnClass.SPAM, "d2", tokens(2, 3))).isEqualTo(BayesStore.Applied.LEARNED);
        assertThat(store.lookup(null, tokens(1, 2, 3)).spam()).containsExactly(1, 2, 1);
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
    void whileRedisIsDownCallsFailFastAndLearnsWaitInTheQueueUntilItIsBack() throws Exception {
        LearnOutbox queue = new LearnOutbox(temp.resolve("queue"));
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
