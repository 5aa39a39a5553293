package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.BayesStore.Applied;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.LearnOutbox;
import org.mailsift.scanner.bayes.QueuedLearn;
import org.mailsift.testsupport.RedisSentinelSetup;

/**
 * A crash of the Redis master behind Sentinel: the store follows the promoted replica, and learns made while there
 * is no master wait in the durable queue until it can take them.
 *
 * <p>What is asserted about loss: Redis replicates asynchronously, so a write the master acknowledged just before
 * dying can be missing on the replica; no client can prevent that without {@code WAIT}. The test therefore waits
 * until the replica acknowledged the learns made before the crash ({@code WAIT 1}), then asserts every one of them
 * survived, and that every learn made during and after the outage is counted exactly once.
 */
class RedisSentinelFailoverTest {
    @TempDir
    Path dataDir;

    private static long[] tokens(int i) {
        return new long[] {5, 10_000 + i};
    }

    @Test
    void afterTheMasterCrashesLearnsContinueOnThePromotedReplicaAndQueuedOnesAreReplayed() throws Exception {
        Assumptions.assumeTrue(RedisSentinelSetup.available(), "redis-server / redis-cli not installed");
        try (RedisSentinelSetup sentinel = RedisSentinelSetup.start(1);
             RedisBayesStore store = OperatorConfig.open("backend = \"redis\";",
                     "sentinels = \"" + sentinel.sentinelAddresses() + "\";\nsentinel_masters_pattern = \"^mymaster$\";\n"
                             + "timeout = 2s;\n", dataDir)) {
            LearnOutbox queue = new LearnOutbox(dataDir.resolve("queue"));
            for (int i = 0; i < 50; i++) {
                assertThat(store.learn(null, LearnClass.SPAM, "before" + i, tokens(i))).isEqualTo(Applied.LEARNED);
            }
            assertThat(sentinel.awaitReplication(5000)).as("replica acknowledged the learns").isTrue();

            sentinel.killMaster();
            int queued = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    store.learn(null, LearnClass.SPAM, "outage" + i, tokens(100 + i));
                } catch (BayesStore.UnavailableException e) {
                    queue.add(new QueuedLearn(null, LearnClass.SPAM, "outage" + i, tokens(100 + i)));
                    queued++;
                }
            }
            assertThat(queued).as("learns refused while there is no master").isEqualTo(20);

            assertThat(sentinel.awaitFailover(15_000)).as("the sentinel promoted the replica").isTrue();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (queue.size() > 0 && System.nanoTime() < deadline) {
                queue.replay(store); // the daemon's replay thread does this every 2 s
                Thread.sleep(100);
            }
            assertThat(queue.size()).isZero();
            for (int i = 0; i < 10; i++) {
                assertThat(store.learn(null, LearnClass.SPAM, "after" + i, tokens(200 + i))).isEqualTo(Applied.LEARNED);
            }

            assertThat(store.learn(null, LearnClass.SPAM, "before0", tokens(0))).isEqualTo(Applied.ALREADY_LEARNED);
            assertThat(store.learns(null).spam()).isEqualTo(80);
            assertThat(store.lookup(null, new long[] {5, 10_000, 10_100, 10_200}).spam()).containsExactly(80, 1, 1, 1);
            assertThat(sentinel.cliOnPort(sentinel.replicaPort(), "HGET", "{RS}", "learns_spam"))
                    .as("counted on the promoted replica itself").isEqualTo("80");
        }
    }
}
