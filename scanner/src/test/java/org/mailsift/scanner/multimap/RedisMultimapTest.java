package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.testsupport.RedisServer;
import org.mailsift.testsupport.RedisServerExtension;

/** multimap.conf's redis:// maps against a real redis-server: each lookup asks Redis, as Rspamd's HGET / HMGET. */
class RedisMultimapTest {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();
    @TempDir
    Path etc;
    private ScanEngine engine;

    private static final byte[] MESSAGE = """
            From: Alice <alice@sender.example>
            To: bob@example.org
            Subject: hello
            Message-ID: <r1@sender.example>

            hi
            """.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ScanEngine engine(String servers) throws Exception {
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                redis { servers = "%s"; timeout = 0.5s; }
                BAD_SENDER { type = "from"; map = "redis://bad_senders"; score = 5; }
                BAD_NETWORK { type = "ip"; map = "redis://bad_networks"; score = 3; }
                """.formatted(servers));
        engine = EngineFactory.create(ConfigDirectory.open(etc), List.of());
        return engine;
    }

    private static SymbolResult scan(ScanEngine engine, String from, String ip, String symbol) {
        ScanResult r = engine.scan(MESSAGE, Envelope.builder().clientIp(ip).mailFrom(from).addRcpt("bob@example.org").build());
        return r.symbols().stream().filter(s -> s.name().equals(symbol)).findFirst().orElse(null);
    }

    @Test
    void senderAndNetworkInRedisHashesMatchAndChangesApplyAtTheNextMessage() throws Exception {
        ScanEngine engine = engine(redis.server().address());
        try (RedisClient client = RedisClient.create("redis://" + redis.server().address());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            assertThat(scan(engine, "spammer@bad.example", "192.0.2.1", "BAD_SENDER")).isNull();

            admin.sync().hset("bad_senders", "spammer@bad.example", "1");
            admin.sync().hset("bad_networks", "198.51.100.0/24", "1");
            assertThat(scan(engine, "spammer@bad.example", "192.0.2.1", "BAD_SENDER").score()).isEqualTo(5.0);
            assertThat(scan(engine, "other@good.example", "198.51.100.77", "BAD_NETWORK").score()).isEqualTo(3.0);
            assertThat(scan(engine, "other@good.example", "198.51.101.77", "BAD_NETWORK")).isNull();

            admin.sync().hset("bad_senders", "bad.example", "BAD_DOMAIN:2");
            admin.sync().hdel("bad_senders", "spammer@bad.example");
            ScanResult r = engine.scan(MESSAGE, Envelope.builder().clientIp("192.0.2.1").mailFrom("x@bad.example")
                    .addRcpt("bob@example.org").build());
            assertThat(r.symbols()).extracting(SymbolResult::name).contains("BAD_DOMAIN").doesNotContain("BAD_SENDER");
        }
    }

    @Test
    void aRedisThatIsDownMatchesNothingAndTheScanGoesOn() throws Exception {
        RedisServer gone = RedisServer.startNew();
        String address = gone.address();
        gone.stop();
        ScanEngine engine = engine(address);
        assertThat(scan(engine, "spammer@bad.example", "198.51.100.77", "BAD_SENDER")).isNull();
        assertThat(scan(engine, "spammer@bad.example", "198.51.100.77", "BAD_NETWORK")).isNull();
    }

    /** A partitioned Redis answers nothing and closes nothing: each lookup would wait its whole timeout. */
    @Test
    void aHungRedisIsAskedByOneLookupNotByEveryRuleOfEveryMessage() throws Exception {
        ScanEngine engine = engine(redis.server().address());
        try (RedisClient client = RedisClient.create("redis://" + redis.server().address());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().configResetstat();
            assertThat(scan(engine, "spammer@bad.example", "198.51.100.77", "BAD_SENDER")).isNull();
            long perMessage = lookups(admin);
            assertThat(perMessage).as("both rules asked Redis while it answered").isGreaterThanOrEqualTo(2);
            admin.sync().configResetstat();

            redis.server().freeze();
            try {
                for (int i = 0; i < 6; i++) {
                    assertThat(scan(engine, "spammer@bad.example", "198.51.100.77", "BAD_SENDER")).isNull();
                }
            } finally {
                redis.server().thaw();
            }
            // the commands the frozen server got wait in the engine's connection; it runs them all at once on waking
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).until(() -> lookups(admin) >= 1);
            long asked = lookups(admin);
            assertThat(asked).as("%d lookups without the outage back-off; one probe per %s", 6 * perMessage,
                    StoreOutage.PROBE_INTERVAL).isBetween(1L, perMessage + 1);
        }
    }

    private static long lookups(StatefulRedisConnection<String, String> admin) {
        String stats = admin.sync().info("commandstats");
        long total = 0;
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_hget:") || line.startsWith("cmdstat_hmget:")) {
                String calls = line.substring(line.indexOf(":calls=") + ":calls=".length());
                total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return total;
    }

    @Test
    void withoutRedisServersARedisMapIsAWarningAndTheRuleIsLeftOut() throws Exception {
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("local.d/multimap.conf"), "BAD { type = \"from\"; map = \"redis://bad\"; }\n");
        ConfigDirectory config = ConfigDirectory.open(etc);
        assertThat(MultimapModule.from(config).rules()).isEmpty();
        assertThat(config.warnings()).anyMatch(w -> w.contains("multimap.conf:1:") && w.contains("no redis servers"));
    }
}
