package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.StandardRules;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.testsupport.TestDnsServer;

/** The engine's seam for network checks: lookups in parallel, results applied on the scan thread, bounded by the budget. */
class AsyncRuleTest {
    /** Looks up one name per rule; inserts LISTED_n or DNSFAIL_n. */
    record LookupRule(int n, String name) implements AsyncRule {
        @Override
        public List<SymbolDefinition> symbols() {
            return List.of(new SymbolDefinition("LISTED_" + n, "test", 1, "listed"),
                    new SymbolDefinition("DNSFAIL_" + n, "test", 0, "dns failed"));
        }

        @Override
        public CompletionStage<Consumer<ScanContext>> start(ScanContext context) {
            CompletableFuture<DnsAnswer> a = context.dns().query(name, DnsRecordType.A);
            return a.thenApply(answer -> ctx -> {
                if (answer.isOk()) {
                    ctx.insert("LISTED_" + n, answer.records().toArray(String[]::new));
                } else if (answer.status().isTemporary()) {
                    ctx.insert("DNSFAIL_" + n, answer.status().name());
                }
            });
        }
    }

    private static ScanEngine engine(NettyDnsResolver resolver, Duration budget, List<AsyncRule> extra) {
        List<org.mailsift.scanner.rules.Rule> rules = new java.util.ArrayList<>(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK));
        rules.addAll(extra);
        return new ScanEngine(rules, EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "scanner.test", resolver, budget);
    }

    @Test
    void networkRulesInsertWhatTheirLookupsFound() {
        try (TestDnsServer dns = TestDnsServer.start();
             NettyDnsResolver resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null)) {
            dns.a("2.0.0.127.list.test", "127.0.0.2");
            ScanResult r = engine(resolver, Duration.ofSeconds(2), List.of(new LookupRule(1, "2.0.0.127.list.test"),
                    new LookupRule(2, "1.0.0.127.list.test"))).scan(Fixtures.message("plain-good.eml"), Envelope.EMPTY);
            assertThat(Fixtures.names(r)).contains("LISTED_1").doesNotContain("LISTED_2", "DNSFAIL_1", "DNSFAIL_2");
            assertThat(r.symbols().stream().filter(s -> s.name().equals("LISTED_1")).findFirst().orElseThrow().options())
                    .containsExactly("127.0.0.2");
        }
    }

    @Test
    void aResolverThatNeverAnswersCostsAtMostTheBudgetForAllRulesTogether() {
        try (TestDnsServer dns = TestDnsServer.start();
             NettyDnsResolver resolver = new NettyDnsResolver(patient(dns), null)) {
            dns.defaultBehaviour(TestDnsServer.Behaviour.SILENT);
            List<AsyncRule> rules = java.util.stream.IntStream.range(0, 20).mapToObj(i -> (AsyncRule) new LookupRule(i, "n" + i + ".list.test")).toList();
            // each lookup would wait 60 s for the silent server; the 400 ms budget ends all 20 together. The 30 s bound
            // only tells "ended by the budget" from "waited for a timeout", so a loaded machine cannot fail it
            ScanResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> engine(resolver, Duration.ofMillis(400), rules).scan(Fixtures.message("plain-good.eml"), Envelope.EMPTY));
            assertThat(Fixtures.names(r)).contains("DNSFAIL_0", "DNSFAIL_19");
        }
    }

    private static DnsSettings patient(TestDnsServer dns) {
        DnsSettings d = DnsSettings.DEFAULTS;
        return new DnsSettings(true, DnsSettings.parseNameservers(dns.address()), Duration.ofSeconds(60), d.retransmits(),
                d.budget(), d.cacheSize(), d.maxErrors(), d.reviveTime());
    }
}
