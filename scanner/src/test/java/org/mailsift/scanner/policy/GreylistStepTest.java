package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.arr;
import static org.mailsift.scanner.TestConfig.obj;
import static org.mailsift.scanner.policy.PolicyScans.envelope;
import static org.mailsift.scanner.policy.PolicyScans.symbol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.policy.greylist.GreylistKeys;
import org.mailsift.scanner.policy.greylist.GreylistSettings;
import org.mailsift.scanner.policy.greylist.GreylistStep;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.slf4j.LoggerFactory;

/** Greylisting as a sending server lives it: asked to retry, retrying too early, passing after the timeout. */
class GreylistStepTest {
    private static final byte[] OFFER = PolicyScans.message("""
            From: Offers <offers@sender.test>
            To: alice@example.test
            Subject: Cheap watches
            Message-ID: <offer-1@sender.test>
            Date: Sat, 21 Nov 2026 10:00:00 +0000
            """, "Buy now, cheap watches for everyone.\n");
    private static final Envelope STRANGER = envelope("192.0.2.10", "offers@sender.test", "alice@example.test", null);

    @RegisterExtension
    final OpenPolicyStores stores = new OpenPolicyStores();
    private final SettableClock clock = stores.clock;

    /** Every message gets the greylist action (threshold far below any score), unless the test says otherwise. */
    private ScanEngine engine(Object... greylistOptions) {
        return PolicyScans.engine(new TestConfig()
                .with("actions", obj("greylist", -100, "add_header", 100, "reject", 200))
                .with("greylist", obj(greylistOptions)), stores.get());
    }

    @Test
    void aStrangerIsAskedToRetryThenTooEarlyThenPassesAfterTheTimeout() {
        ScanEngine engine = engine();
        ScanResult first = engine.scan(OFFER, STRANGER);
        assertThat(first.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(first.smtpMessage()).isEqualTo("Try again later");
        assertThat(symbol(first, "GREYLIST").options()).containsExactly("greylisted", "Thu, 03 Dec 2026 12:05:00 GMT", "new record");
        assertThat(symbol(first, "GREYLIST").score()).isZero();

        clock.advance(Duration.ofMinutes(2));
        ScanResult early = engine.scan(OFFER, STRANGER);
        assertThat(early.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(symbol(early, "GREYLIST").options()).containsExactly("greylisted", "Thu, 03 Dec 2026 12:05:00 GMT", "too early");

        clock.advance(Duration.ofMinutes(3));
        ScanResult retry = engine.scan(OFFER, STRANGER);
        assertThat(retry.action()).isEqualTo(Action.NO_ACTION); // a greylist action that passed is delivered
        assertThat(symbol(retry, "GREYLIST").options()).containsExactly("pass", "body");
        assertThat(retry.score()).isEqualTo(first.score());
    }

    @Test
    void theSenderPassesFromAnyAddressOfItsSlash19ButNotFromAnotherNetwork() {
        ScanEngine engine = engine();
        engine.scan(OFFER, STRANGER);
        clock.advance(Duration.ofMinutes(6));
        Envelope sameNetwork = envelope("192.0.31.200", "offers@sender.test", "alice@example.test", null);
        Envelope otherNetwork = envelope("192.0.32.1", "offers@sender.test", "alice@example.test", null);
        assertThat(engine.scan(OFFER, sameNetwork).action()).isEqualTo(Action.NO_ACTION);
        assertThat(engine.scan(PolicyScans.message("From: offers@sender.test\nSubject: other", "another body"), sameNetwork)
                .action()).as("another message of a sender that passed").isEqualTo(Action.NO_ACTION);
        assertThat(engine.scan(PolicyScans.message("From: offers@sender.test\nSubject: other", "another body"), otherNetwork)
                .action()).isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void theKeysFollowRspamdsMasksAndSortedRecipients() {
        GreylistSettings settings = GreylistSettings.from(new TestConfig());
        var parsed = org.mailsift.core.message.MessageParser.parse(OFFER);
        Envelope ab = Envelope.builder().clientIp("2001:db8:1:2:3::1").mailFrom("x@s.test").addRcpt("a@t.test").addRcpt("b@t.test").build();
        Envelope ba = Envelope.builder().clientIp("2001:db8:1:2:ffff::9").mailFrom("x@s.test").addRcpt("b@t.test").addRcpt("a@t.test").build();
        Envelope other64 = Envelope.builder().clientIp("2001:db8:1:3::1").mailFrom("x@s.test").addRcpt("a@t.test").addRcpt("b@t.test").build();
        assertThat(GreylistKeys.of(parsed, ab, settings)).isEqualTo(GreylistKeys.of(parsed, ba, settings));
        assertThat(GreylistKeys.of(parsed, ab, settings).meta()).isNotEqualTo(GreylistKeys.of(parsed, other64, settings).meta());
        assertThat(GreylistKeys.of(parsed, ab, settings).body()).isEqualTo(GreylistKeys.of(parsed, other64, settings).body())
                .startsWith("rgb").hasSize(23);
    }

    /** The values Rspamd 3.x computes for the same input (rspamadm lua: rspamd_cryptobox_hash, rspamd_ip:apply_mask). */
    @Test
    void theKeysAreRspamdsOwnSoAnRspamdRedisIsShared() {
        GreylistSettings settings = GreylistSettings.from(new TestConfig());
        var parsed = org.mailsift.core.message.MessageParser.parse(OFFER);
        assertThat(GreylistKeys.of(parsed, envelope("192.0.31.200", "offers@sender.test", "alice@example.test", null), settings)
                .meta()).isEqualTo("rgmk6eegh33r4n3ywkoy6aj");
        Envelope v6 = Envelope.builder().clientIp("2001:db8:1:2:3::1").mailFrom("x@s.test").addRcpt("b@t.test").addRcpt("a@t.test").build();
        assertThat(GreylistKeys.of(parsed, v6, settings).meta()).isEqualTo("rgmj6iy59cktdkaaphfuyyp");
        assertThat(PolicyHash.of("<lunch-1@example.test>", 20, "rr")).isEqualTo("rrbmogq34z47khgyyq6jhg");
        assertThat(PolicyHash.of("alice@example.test", 8, "")).isEqualTo("yurqdf3z");
    }

    @Test
    void localClientsAuthenticatedSendersAndWhitelistedNetworksAreNeverGreylisted() {
        ScanEngine engine = engine("whitelisted_ip", arr("198.51.100.0/24"));
        ScanResult local = engine.scan(OFFER, envelope("192.168.1.5", "offers@sender.test", "alice@example.test", null));
        ScanResult authed = engine.scan(OFFER, envelope("203.0.113.7", "offers@sender.test", "alice@example.test", "offers"));
        ScanResult listed = engine.scan(OFFER, envelope("198.51.100.77", "offers@sender.test", "alice@example.test", null));
        ScanResult noIp = engine.scan(OFFER, envelope(null, "offers@sender.test", "alice@example.test", null));
        for (ScanResult r : List.of(local, authed, listed)) {
            assertThat(r.action()).isEqualTo(Action.NO_ACTION);
            assertThat(symbol(r, "GREYLIST")).isNull();
        }
        assertThat(noIp.action()).as("no client IP: not an SMTP transaction").isEqualTo(Action.GREYLIST);
        Envelope rspamc = Envelope.builder().clientIp("192.0.2.10").mailFrom("offers@sender.test").addRcpt("alice@example.test")
                .manualCheck(true).build();
        assertThat(engine.scan(OFFER, rspamc).action()).as("rspamc's check, as Rspamd").isEqualTo(Action.GREYLIST);
        assertThat(engine.scan(OFFER, STRANGER).action()).as("and it left no record behind").isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void aMillionLineWhitelistedIpFileIsLoadedAndLookedUpByPrefix() throws Exception {
        Path map = java.nio.file.Files.createTempFile("greylist-ip", ".map");
        try {
            StringBuilder lines = new StringBuilder("# networks that are never greylisted\n");
            for (int i = 0; i < 1_000_000; i++) {
                lines.append(10 + (i >> 16)).append('.').append((i >> 8) & 0xff).append('.').append(i & 0xff).append(".0/24\n");
            }
            lines.append("2001:db8:77::/48\n");
            java.nio.file.Files.writeString(map, lines);
            ScanEngine engine = engine("whitelisted_ip", map.toString(), "check_local", true);
            assertThat(engine.scan(OFFER, envelope("25.10.77.88", "o@sender.test", "alice@example.test", null)).action())
                    .isEqualTo(Action.NO_ACTION); // listed (line 15 * 65536 + 10 * 256 + 77): its greylist action is lowered
            assertThat(engine.scan(OFFER, envelope("2001:db8:77:1::9", "o@sender.test", "alice@example.test", null)).action())
                    .isEqualTo(Action.NO_ACTION);
            assertThat(engine.scan(OFFER, envelope("203.0.113.9", "o@sender.test", "alice@example.test", null)).action())
                    .isEqualTo(Action.SOFT_REJECT);
        } finally {
            java.nio.file.Files.delete(map);
        }
    }

    @Test
    void checkLocalGreylistsLocalClientsToo() {
        ScanResult r = engine("check_local", true).scan(OFFER, envelope("192.168.1.5", "o@sender.test", "alice@example.test", null));
        assertThat(r.action()).isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void cleanMailAndRejectedMailAreNotGreylisted() {
        ScanEngine clean = PolicyScans.engine(new TestConfig().with("actions", obj("greylist", 100, "add_header", 150, "reject", 200)), stores.get());
        ScanEngine rejecting = PolicyScans.engine(new TestConfig().with("actions", obj("greylist", -200, "add_header", -150, "reject", -100)), stores.get());
        assertThat(clean.scan(OFFER, STRANGER).action()).isEqualTo(Action.NO_ACTION);
        assertThat(rejecting.scan(OFFER, STRANGER).action()).isEqualTo(Action.REJECT);
        assertThat(engine().scan(OFFER, STRANGER).action()).as("neither left a record behind").isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void aScoreBelowGreylistMinScoreIsDeliveredWithoutGreylisting() {
        ScanResult r = engine("greylist_min_score", 1000).scan(OFFER, STRANGER);
        assertThat(r.action()).isEqualTo(Action.NO_ACTION);
    }

    @Test
    void theConfiguredMessageActionAndReportTimeAreUsed() {
        ScanResult r = engine("message", "Greylisted, come back later", "report_time", true, "action", "greylist")
                .scan(OFFER, STRANGER);
        assertThat(r.action()).isEqualTo(Action.GREYLIST);
        assertThat(r.smtpMessage()).isEqualTo("Greylisted, come back later: Thu, 03 Dec 2026 12:05:00 GMT");
    }

    @Test
    void aStoreThatFailsPassesMessagesAsScoredAndIsAskedAgainOnlyOnceEveryProbeInterval() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        GreylistStore broken = new GreylistStore() {
            @Override
            public org.mailsift.scanner.policy.greylist.GreylistRecords check(GreylistKeys keys, long now, long timeout,
                                                                             long expire, boolean mayRecord) {
                asked.incrementAndGet();
                throw new IllegalStateException("connection refused");
            }

            @Override
            public String kind() {
                return "broken";
            }
        };
        GreylistStep step = new GreylistStep(GreylistSettings.from(new TestConfig()), broken, -100.0, clock,
                new StoreOutage(LoggerFactory.getLogger(getClass()), "greylist", nanos::get, Duration.ofSeconds(5)));
        ScanEngine engine = new ScanEngine(org.mailsift.scanner.rules.StandardRules.create(
                org.mailsift.scanner.EngineSettings.DEFAULTS.options(), org.mailsift.scanner.Fixtures.CLOCK), List.of(),
                new PostScanSteps(List.of(step)), org.mailsift.scanner.EngineSettings.DEFAULTS,
                org.mailsift.core.message.ParseLimits.DEFAULT, "scanner.test", org.mailsift.core.dns.DnsResolver.none(), Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            ScanResult r = engine.scan(OFFER, STRANGER);
            assertThat(r.action()).isNotEqualTo(Action.SOFT_REJECT);
            assertThat(symbol(r, "GREYLIST")).isNull();
        }
        assertThat(asked).as("a store that hangs would cost each message its timeout").hasValue(1);

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        engine.scan(OFFER, STRANGER);
        engine.scan(OFFER, STRANGER);
        assertThat(asked).as("one message of the next interval asks again").hasValue(2);
    }

    @Test
    void greylistConfIsReadWithRspamdsDefaults() {
        GreylistSettings s = GreylistSettings.from(new TestConfig());
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.expire()).isEqualTo(Duration.ofDays(1));
        assertThat(s.message()).isEqualTo("Try again later");
        assertThat(s.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(s.maxDataLen()).isEqualTo(10240);
        assertThat(List.of(s.ipv4Mask(), s.ipv6Mask())).containsExactly(19, 64);
        assertThat(s.checkLocal() || s.checkAuthed()).isFalse();
        assertThat(s.redis()).isEmpty();
        TestConfig withRedis = new TestConfig().with("redis", obj("servers", "127.0.0.1:6379", "timeout", 0.5));
        assertThat(GreylistSettings.from(withRedis).redis().orElseThrow().timeout()).isEqualTo(Duration.ofMillis(500));
    }
}
