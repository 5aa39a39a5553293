package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.Fixtures;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.policy.PostScanSteps;
import org.mailsift.scanner.policy.SettableClock;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.StandardRules;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.store.embedded.ExpiringRecords;
import org.slf4j.LoggerFactory;

/** The module in the engine: an authenticated sender over its limit, whitelists, selectors that find nothing. */
class RatelimitTest {
    private static final String SASL_RATE = """
            rates { sasl_user { selector = "user"; bucket = { burst = 100; rate = "1 / 1m"; } } }
            """;
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));
    private ExpiringRecords records;
    private final AtomicInteger rulesRun = new AtomicInteger();
    private final byte[] message = Fixtures.message("plain-good.eml");

    @BeforeEach
    void open() {
        records = ExpiringRecords.open(dir.resolve("data"), "policy", 10_000, clock);
    }

    @AfterEach
    void close() {
        records.close();
    }

    private ScanEngine engine(String localConf, RateStore store) throws IOException {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf.resolve("local.d"));
        Files.copy(Path.of("../etc/ratelimit.conf"), conf.resolve("ratelimit.conf"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(conf.resolve("local.d/ratelimit.conf"), localConf);
        RatelimitSettings settings = RatelimitSettings.from(ConfigDirectory.open(conf));
        Ratelimit ratelimit = new Ratelimit(settings, store, clock,
                new StoreOutage(LoggerFactory.getLogger(RatelimitTest.class), "ratelimit"));
        List<Rule> rules = new ArrayList<>(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK));
        rules.add(new CountingRule());
        rules.add(ratelimit.check()); // last in the list: a prefilter runs first anyway
        return new ScanEngine(rules, List.of(), new PostScanSteps(List.of(ratelimit.update())), EngineSettings.DEFAULTS,
                ParseLimits.DEFAULT, "scanner.test", DnsResolver.none(), Duration.ZERO);
    }

    private ScanEngine engine(String localConf) throws IOException {
        return engine(localConf, new EmbeddedRateStore(() -> records));
    }

    private static Envelope from(String user, String... rcpts) {
        Envelope.Builder b = Envelope.builder().clientIp("192.0.2.25").helo("client.example.com")
                .mailFrom(user + "@example.com").authUser(user);
        for (String r : rcpts) {
            b.addRcpt(r);
        }
        return b.build();
    }

    @Test
    void anAuthenticatedSendersHundredAndFirstMessageInAMinuteIsSoftRejectedBeforeAnyRule() throws IOException {
        ScanEngine engine = engine(SASL_RATE);
        for (int i = 1; i <= 100; i++) {
            ScanResult r = engine.scan(message, from("alice", "bob@example.net"));
            assertThat(r.action()).as("message %d", i).isNotEqualTo(Action.SOFT_REJECT);
            clock.advance(Duration.ofMillis(500));
        }
        int before = rulesRun.get();
        ScanResult limited = engine.scan(message, from("alice", "bob@example.net"));
        assertThat(limited.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(limited.smtpMessage()).isEqualTo("Ratelimit \"sasl_user\" exceeded");
        assertThat(rulesRun.get()).as("no rule ran after the prefilter's soft reject").isEqualTo(before);
        assertThat(engine.scan(message, from("carol", "bob@example.net")).action())
                .as("another user has a bucket of their own").isNotEqualTo(Action.SOFT_REJECT);
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.scan(message, from("alice", "bob@example.net")).action())
                .as("a minute later one more fits").isNotEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void scansAskedByRspamcOrTheWebInterfaceAreNotLimitedUnlessAllowLocal() throws IOException {
        Envelope viaRspamc = Envelope.builder().clientIp("192.0.2.25").authUser("alice").mailFrom("alice@example.com")
                .addRcpt("bob@example.net").manualCheck(true).build();
        ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1"));
        for (int i = 0; i < 3; i++) {
            assertThat(engine.scan(message, viaRspamc).action()).isNotEqualTo(Action.SOFT_REJECT);
        }
        engine.scan(message, from("alice", "bob@example.net"));
        assertThat(engine.scan(message, from("alice", "bob@example.net")).action())
                .as("rspamc's scans took nothing from the bucket; mail does").isEqualTo(Action.SOFT_REJECT);

        Envelope daveViaRspamc = Envelope.builder().clientIp("192.0.2.25").authUser("dave").mailFrom("dave@example.com")
                .addRcpt("bob@example.net").manualCheck(true).build();
        ScanEngine allowLocal = engine(SASL_RATE.replace("burst = 100", "burst = 1") + "allow_local = true;\n");
        allowLocal.scan(message, daveViaRspamc);
        assertThat(allowLocal.scan(message, daveViaRspamc).action()).isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void mailToPostmasterIsNeverLimited() throws IOException {
        ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1"));
        engine.scan(message, from("alice", "bob@example.net"));
        assertThat(engine.scan(message, from("alice", "bob@example.net")).action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(engine.scan(message, from("alice", "Postmaster@example.net")).action())
                .isNotEqualTo(Action.SOFT_REJECT);
        assertThat(engine.scan(message, from("alice", "bob@example.net", "mailer-daemon@example.net")).action())
                .isNotEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void whitelistedUsersAndNetworksAreNeverLimited() throws IOException {
        ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1")
                + "whitelisted_user = [\"Backup\"];\nwhitelisted_ip = \"198.51.100.0/24\";\n");
        for (int i = 0; i < 3; i++) {
            assertThat(engine.scan(message, from("backup", "bob@example.net")).action()).isNotEqualTo(Action.SOFT_REJECT);
        }
        Envelope office = Envelope.builder().clientIp("198.51.100.7").authUser("alice").addRcpt("bob@example.net").build();
        for (int i = 0; i < 3; i++) {
            assertThat(engine.scan(message, office).action()).isNotEqualTo(Action.SOFT_REJECT);
        }
    }

    @Test
    void aSelectorOnAMissingHeaderSkipsTheRate() throws IOException {
        ScanEngine engine = engine("""
                rates { campaign { selector = "header('X-Campaign-Id')"; bucket { burst = 1; rate = "1 / 1h"; } } }
                """);
        for (int i = 0; i < 5; i++) {
            ScanResult r = engine.scan(message, from("alice", "bob@example.net"));
            assertThat(r.action()).isNotEqualTo(Action.SOFT_REJECT);
        }
        assertThat(records.size()).isZero();
        byte[] tagged = ("X-Campaign-Id: 42\r\n" + new String(message, java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        engine.scan(tagged, from("alice", "bob@example.net"));
        assertThat(engine.scan(tagged, from("alice", "bob@example.net")).action()).isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void withASymbolTheMessageIsMarkedNotRejected() throws IOException {
        ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1") + "symbol = \"R_RATELIMIT\";\n");
        engine.scan(message, from("alice", "bob@example.net"));
        ScanResult r = engine.scan(message, from("alice", "bob@example.net"));
        assertThat(r.action()).isNotEqualTo(Action.SOFT_REJECT);
        assertThat(r.symbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("R_RATELIMIT");
            assertThat(s.options()).singleElement().satisfies(o -> assertThat(o).startsWith("sasl_user(RL"));
        });
    }

    @Test
    void keywordRatesCountBouncesPerRecipient() throws IOException {
        ScanEngine engine = engine("rates { bounce_to { bucket { burst = 2; rate = \"1 / 1h\"; } } }");
        Envelope bounce = Envelope.builder().clientIp("192.0.2.25").mailFrom("").addRcpt("bob@example.net").build();
        Envelope normal = Envelope.builder().clientIp("192.0.2.25").mailFrom("x@example.org").addRcpt("bob@example.net")
                .build();
        engine.scan(message, bounce);
        engine.scan(message, bounce);
        ScanResult limited = engine.scan(message, bounce);
        assertThat(limited.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(limited.headerChanges()).extracting(HeaderChange::value)
                .anyMatch(v -> v != null && v.contains("module=ratelimit"));
        assertThat(engine.scan(message, normal).action()).as("not a bounce: the rate does not apply")
                .isNotEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void aStoreThatFailsLetsMailPass() throws IOException {
        RateStore down = new RateStore() {
            @Override
            public List<Result> check(List<Bucket> buckets, long nowMillis, long expireSeconds) {
                throw new io.lettuce.core.RedisConnectionException("Connection refused");
            }

            @Override
            public void update(List<Update> updates, long nowMillis, long expireSeconds) {
                throw new io.lettuce.core.RedisConnectionException("Connection refused");
            }

            @Override
            public void cleanup(List<Bucket> buckets, long nowMillis, long expireSeconds) {
                throw new io.lettuce.core.RedisConnectionException("Connection refused");
            }
        };
        ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1"), down);
        for (int i = 0; i < 3; i++) {
            assertThat(engine.scan(message, from("alice", "bob@example.net")).action()).isNotEqualTo(Action.SOFT_REJECT);
        }
    }

    @Test
    void aRedisThatIsDownLetsMailPass() throws IOException {
        try (org.mailsift.scanner.store.redis.RedisConnection nobody = org.mailsift.scanner.store.redis.RedisConnection
                .connect("127.0.0.1:" + org.mailsift.testsupport.FreePort.onLoopback(), null, 0, Duration.ofMillis(500),
                        "rate limits")) {
            ScanEngine engine = engine(SASL_RATE.replace("burst = 100", "burst = 1"), new RedisRateStore(nobody));
            for (int i = 0; i < 3; i++) {
                assertThat(engine.scan(message, from("alice", "bob@example.net")).action())
                        .isNotEqualTo(Action.SOFT_REJECT);
            }
        }
    }

    /** Counts scans that reached the ordinary rules. */
    private final class CountingRule implements Rule {
        @Override
        public List<SymbolDefinition> symbols() {
            return List.of();
        }

        @Override
        public void check(ScanContext context) {
            rulesRun.incrementAndGet();
        }
    }
}
