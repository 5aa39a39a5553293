package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.testsupport.RedisClusterSetup;

/** The Redis store contract against a real three-master Redis Cluster. */
class RedisClusterBayesStoreTest extends RedisBayesStoreContract {
    private static RedisClusterSetup cluster;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startCluster() {
        Assumptions.assumeTrue(RedisClusterSetup.available(), "redis-server / redis-cli not installed");
        cluster = RedisClusterSetup.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected RedisBayesStore connect() {
        // every node listed, as an operator would; the client discovers the slot map from any of them
        return OperatorConfig.open("servers = \"" + cluster.addresses() + "\";\ncluster = true;\n", "", dataDir);
    }

    @Test
    void everyBayesKeyLivesInTheOneSlotOfTheHashTag() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2, 3));
        store.learn("erin@example.test", LearnClass.HAM, "d2", tokens(4, 5));

        List<Integer> keysPerNode = cluster.ports().stream()
                .map(p -> Integer.parseInt(cluster.cli(p, "DBSIZE"))).toList();
        // {RS}, {RS}learned_ids, {RS}users, {RS}u:erin, 3 global and 2+2 per-user/global token hashes
        assertThat(keysPerNode.stream().mapToInt(Integer::intValue).sum()).isEqualTo(11);
        assertThat(keysPerNode).containsOnlyOnce(11);
    }

    @Test
    void aRedisClusterUriInServersWorksToo() throws Exception {
        String uri = "redis-cluster://" + cluster.addresses().split(",")[1];
        try (RedisBayesStore viaUri = OperatorConfig.open("servers = \"" + uri + "\";", "", dataDir)) {
            viaUri.learn(null, LearnClass.HAM, "d7", tokens(9));

            assertThat(store.lookup(null, tokens(9)).ham()).containsExactly(1);
        }
    }
}
