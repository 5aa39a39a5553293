package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.policy.PostScanSteps;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.StandardRules;
import org.mailsift.scanner.rules.SymbolDefinition;

/** X-Rspamd-Pre-Result names the rule that forced the action, whatever ran or failed before it. */
class PreResultAttributionTest {

    private static ScanEngine engine(List<Rule> before) {
        List<Rule> rules = new ArrayList<>(before);
        rules.addAll(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK));
        return new ScanEngine(rules, List.of(), PostScanSteps.NONE, EngineSettings.DEFAULTS, ParseLimits.DEFAULT,
                "scanner.test", DnsResolver.none(), Duration.ZERO);
    }

    private static String preResult(ScanResult r) {
        return r.headerChanges().stream().filter(h -> h.name().equals("X-Rspamd-Pre-Result")).map(HeaderChange::value)
                .findFirst().orElseThrow();
    }

    /** A rule that throws on every message. */
    private static final Rule BROKEN = new Rule() {
        @Override
        public List<SymbolDefinition> symbols() {
            return List.of(new SymbolDefinition("BROKEN_RULE", "test", 1.0, "always throws"));
        }

        @Override
        public void check(ScanContext context) {
            throw new IllegalStateException("broken on purpose");
        }
    };

    @Test
    void gtubeIsNamedAsTheModuleThatRejected() {
        ScanResult r = engine(List.of()).scan(Fixtures.message("gtube.eml"), Envelope.EMPTY);

        assertThat(r.action()).isEqualTo(Action.REJECT);
        assertThat(preResult(r)).contains("action=reject").contains("module=GTUBE");
    }

    @Test
    void aRuleThatFailedBeforeTheForcingOneIsNotNamed() {
        ScanResult r = engine(List.of(BROKEN)).scan(Fixtures.message("gtube.eml"), Envelope.EMPTY);

        assertThat(preResult(r)).contains("module=GTUBE").doesNotContain("BROKEN_RULE");
    }

    @Test
    void aMessageNobodyForcedHasNoPreResult() {
        ScanResult r = engine(List.of(BROKEN)).scan(Fixtures.message("plain-good.eml"), Envelope.EMPTY);

        assertThat(r.headerChanges()).noneMatch(h -> h.name().equals("X-Rspamd-Pre-Result"));
    }
}
