package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.testsupport.RedisSentinelSetup;

/** The Redis store contract against a real Sentinel deployment, configured with Rspamd's sentinel options. */
class RedisSentinelBayesStoreTest extends RedisBayesStoreContract {
    private static RedisSentinelSetup sentinel;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startSentinel() {
        Assumptions.assumeTrue(RedisSentinelSetup.available(), "redis-server / redis-cli not installed");
        sentinel = RedisSentinelSetup.start(1);
    }

    @AfterAll
    static void stopSentinel() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Override
    protected RedisBayesStore connect() {
        // Rspamd's redis.conf: the sentinels and a Lua pattern for the master name
        return OperatorConfig.open("backend = \"redis\";",
                "sentinels = \"" + sentinel.sentinelAddresses() + "\";\n"
                        + "sentinel_masters_pattern = \"^mymaster$\";\n"
                        + "sentinel_watch_time = 1min;\n"
                        + "timeout = 2s;\n", dataDir);
    }

    @Test
    void learnsGoToTheMasterTheSentinelsName() {
        store.learn(null, LearnClass.SPAM, "d1", tokens(1, 2));

        assertThat(sentinel.cliOnPort(sentinel.masterPort(), "HGET", "{RS}", "learns_spam")).isEqualTo("1");
        sentinel.awaitReplication(2000);
        assertThat(sentinel.cliOnPort(sentinel.replicaPort(), "HGET", "{RS}", "learns_spam")).isEqualTo("1");
    }

    @Test
    void theMasterCanBeNamedInClassifierBayesWithMailsiftsSentinelMaster() throws Exception {
        try (RedisBayesStore named = OperatorConfig.open("sentinels = \"" + sentinel.sentinelAddresses() + "\";\n"
                + "sentinel_master = \"mymaster\";\n", "", dataDir)) {
            named.learn("dana@example.test", LearnClass.HAM, "d9", tokens(4));

            assertThat(store.learns("dana@example.test").ham()).isEqualTo(1);
        }
    }
}
