package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.obj;
import static org.mailsift.scanner.policy.PolicyScans.envelope;
import static org.mailsift.scanner.policy.PolicyScans.symbol;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.testsupport.RedisServerExtension;

/** greylist.conf and replies.conf pointed at a real redis-server: the store's cost per message, and Redis going away. */
class PolicyOverRedisTest {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();
    @RegisterExtension
    final OpenPolicyStores stores = new OpenPolicyStores();

    private static final byte[] OFFER = PolicyScans.message("""
            From: Offers <offers@sender.test>
            To: alice@example.test
            Subject: Cheap watches
            Message-ID: <offer-1@sender.test>
            In-Reply-To: <nothing-we-sent@example.test>
            """, "Buy now, cheap watches for everyone.\n");
    private static final Envelope STRANGER = envelope("192.0.2.10", "offers@sender.test", "alice@example.test", null);

    private ScanEngine engine(double redisTimeoutSeconds) {
        return PolicyScans.engine(new TestConfig()
                .with("actions", obj("greylist", -100, "add_header", 100, "reject", 200))
                .with("redis", obj("servers", redis.server().address(), "timeout", redisTimeoutSeconds)), stores.get());
    }

    /** Commands the server has run, by name (INFO commandstats). */
    private static Map<String, Long> commands(StatefulRedisConnection<String, String> admin) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : admin.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                long n = Long.parseLong(line.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1"));
                if (n > 0) {
                    calls.put(name, n);
                }
            }
        }
        return calls;
    }

    @Test
    void eachMessageCostsOneRoundTripForGreylistingAndOneForReplies() throws Exception {
        ScanEngine engine = engine(1.0);
        engine.scan(OFFER, STRANGER); // loads the script once
        try (RedisClient client = RedisClient.create("redis://" + redis.server().address());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().configResetstat();
            for (int i = 0; i < 20; i++) {
                assertThat(engine.scan(OFFER, STRANGER).action()).isEqualTo(Action.SOFT_REJECT);
            }
            Map<String, Long> calls = commands(admin);
            calls.remove("info");
            calls.remove("config|resetstat");
            // one script call (its two GETs run inside Redis, counted there too) and one MGET per message
            assertThat(calls).containsOnly(Map.entry("evalsha", 20L), Map.entry("get", 40L), Map.entry("mget", 20L));
        }
    }

    @Test
    void whileRedisIsDownMessagesPassAsScoredWithoutWaitingLongerThanTheTimeout() throws Exception {
        ScanEngine engine = engine(0.5);
        redis.server().stop();
        try {
            ScanResult r = engine.scan(OFFER, STRANGER);
            assertThat(r.action()).isEqualTo(Action.GREYLIST); // not greylisted: fail open
            assertThat(symbol(r, "GREYLIST")).isNull();
        } finally {
            redis.server().start();
        }
        // back: the next probe (one message every StoreOutage.PROBE_INTERVAL asks again) finds it and greylisting resumes
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> engine.scan(OFFER, STRANGER).action() == Action.SOFT_REJECT);
    }
}
