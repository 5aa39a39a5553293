package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.obj;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.settings.GroupsSettings;
import org.mailsift.scanner.settings.MilterHeadersSettings;
import org.mailsift.scanner.settings.OptionsSettings;

class ScanEngineTest {
    private static final byte[] MSG = "From: a@example.org\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n".getBytes();

    /** A rule that always inserts one symbol with the given runtime score. */
    private record Fixed(String name, String group, double weight, double runtime) implements Rule {
        @Override
        public List<SymbolDefinition> symbols() {
            return List.of(new SymbolDefinition(name, group, weight, "fixed " + name));
        }

        @Override
        public void check(ScanContext context) {
            context.insert(name, runtime, List.of("o1", "o2"));
        }
    }

    private static ScanEngine engine(EngineSettings settings, Rule... rules) {
        return new ScanEngine(List.of(rules), settings, ParseLimits.DEFAULT, "mx.test");
    }

    @Test
    void aThrowingRuleIsSkippedAndTheOthersStillScore() {
        Rule broken = new Rule() {
            @Override
            public List<SymbolDefinition> symbols() {
                return List.of(new SymbolDefinition("BROKEN_RULE", "x", 5, ""));
            }

            @Override
            public void check(ScanContext context) {
                throw new IllegalStateException("bug");
            }
        };
        ScanResult r = engine(EngineSettings.DEFAULTS, broken, new Fixed("A", "g", 2.0, 1.0))
                .scan(MSG, Envelope.builder().queueId("Q1").build());
        assertThat(r.symbols()).extracting(s -> s.name()).containsExactly("A");
        assertThat(r.score()).isEqualTo(2.0);
    }

    @Test
    void scoreIsWeightTimesRuntimeAndTheActionIsTheHighestThresholdReached() {
        ScanResult r = engine(EngineSettings.DEFAULTS, new Fixed("A", "g", 4.0, 1.0), new Fixed("B", "g", 2.0, 1.5))
                .scan(MSG, Envelope.EMPTY);
        assertThat(r.score()).isEqualTo(7.0);
        assertThat(r.action()).isEqualTo(Action.ADD_HEADER);
        assertThat(r.requiredScore()).isEqualTo(15.0);
        assertThat(r.thresholds()).containsExactly(java.util.Map.entry("reject", 15.0),
                java.util.Map.entry("add header", 6.0), java.util.Map.entry("greylist", 4.0));
        assertThat(r.messageId()).isEqualTo("undef");
        assertThat(r.headerChanges()).endsWith(HeaderChange.removeAll("X-Spam"), HeaderChange.add("X-Spam", "Yes"));
    }

    @Test
    void modulesHeadersFollowTheVerdictHeadersRulesFirstThenContributorsInWiringOrder() {
        Rule authCheck = new Rule() {
            @Override
            public List<SymbolDefinition> symbols() {
                return List.of(new SymbolDefinition("AUTH_NA", "auth", 0, ""));
            }

            @Override
            public void check(ScanContext context) {
                context.addHeaderChange(HeaderChange.insert("Authentication-Results", "mx.test; spf=none", 0));
            }
        };
        HeaderContributor signer = (raw, message, envelope, verdict) -> List.of(HeaderChange.insert("DKIM-Signature",
                "v=1; edits-before=" + verdict.headerChanges().size(), 0));
        HeaderContributor broken = (raw, message, envelope, verdict) -> {
            throw new IllegalStateException("bug");
        };
        ScanEngine engine = new ScanEngine(List.of(authCheck, new Fixed("A", "g", 7.0, 1.0)), List.of(broken, signer),
                EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "mx.test", org.mailsift.core.dns.DnsResolver.none(), java.time.Duration.ZERO);
        List<HeaderChange> edits = engine.scan(MSG, Envelope.EMPTY).headerChanges();

        assertThat(edits).extracting(HeaderChange::name).containsExactly("X-Spamd-Result", "X-Spam", "X-Spam",
                "Authentication-Results", "DKIM-Signature");
        assertThat(edits.get(4).value()).isEqualTo("v=1; edits-before=4");
    }

    @Test
    void configuredWeightsOverrideRuleDefaults() {
        TestConfig config = new TestConfig().with("groups", obj("group", obj("g", obj("max_score", 3.0,
                "symbols", obj("A", obj("weight", 10.0, "description", "configured"))))));
        EngineSettings settings = new EngineSettings(ActionsSettings.DEFAULTS, GroupsSettings.from(config),
                MilterHeadersSettings.DEFAULTS, OptionsSettings.DEFAULTS);
        ScanResult r = engine(settings, new Fixed("A", "g", 1.0, 1.0)).scan(MSG, Envelope.EMPTY);
        assertThat(r.symbols().get(0).score()).isEqualTo(3.0); // 10, capped by max_score 3
        assertThat(r.symbols().get(0).weight()).isEqualTo(10.0);
        assertThat(r.symbols().get(0).description()).isEqualTo("configured");
    }

    @Test
    void rewriteSubjectUsesTheTemplate() {
        TestConfig config = new TestConfig().with("actions", obj("rewrite_subject", 5, "subject", "[SPAM %d] %s 100%%"));
        EngineSettings settings = new EngineSettings(ActionsSettings.from(config), GroupsSettings.DEFAULTS,
                MilterHeadersSettings.DEFAULTS, OptionsSettings.DEFAULTS);
        ScanResult r = engine(settings, new Fixed("A", "g", 5.5, 1.0)).scan(MSG, Envelope.EMPTY);
        assertThat(r.action()).isEqualTo(Action.REWRITE_SUBJECT);
        assertThat(r.subject()).isEqualTo("[SPAM 5.50] hi 100%");
        assertThat(r.headerChanges()).containsOnlyOnce(HeaderChange.set("Subject", "[SPAM 5.50] hi 100%"));
    }

    @Test
    void symbolsAreOrderedByAbsoluteScoreThenName() {
        ScanResult r = engine(EngineSettings.DEFAULTS, new Fixed("Z", "g", 1.0, 1.0), new Fixed("NEG", "g", -3.0, 1.0),
                new Fixed("A", "g", 1.0, 1.0)).scan(MSG, Envelope.EMPTY);
        assertThat(r.symbols()).extracting(s -> s.name()).containsExactly("NEG", "A", "Z");
    }

    @Test
    void theEngineIsSafeToShareBetweenThreads() throws Exception {
        ScanEngine e = Fixtures.engine();
        byte[] raw = Fixtures.message("attachments.eml");
        ScanResult expected = e.scan(raw, Envelope.EMPTY);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<ScanResult>>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(() -> e.scan(raw, Envelope.EMPTY)));
            }
            for (var f : futures) {
                assertThat(f.get().symbols()).isEqualTo(expected.symbols());
            }
        }
    }
}
