package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.Fixtures;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.rules.StandardRules;

/** The engine's seam for post-filters: they see the scored verdict and what they return is what the message gets. */
class PostScanStepTest {
    private static ScanEngine engine(PostScanStep... steps) {
        return new ScanEngine(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK), List.of(),
                new PostScanSteps(List.of(steps)), EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "scanner.test",
                DnsResolver.none(), Duration.ZERO);
    }

    @Test
    void aStepThatForcesSoftRejectGivesTheActionItsMessageAndItsSymbol() {
        ScanResult r = engine((ctx, v) -> v.withSymbol(new SymbolResult("GREYLIST", 0, 0, "greylisted", List.of("greylisted")))
                .force(Action.SOFT_REJECT, "Try again later", "greylist"))
                .scan(Fixtures.message("plain-good.eml"), Envelope.EMPTY);
        assertThat(r.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(r.smtpMessage()).isEqualTo("Try again later");
        assertThat(Fixtures.names(r)).contains("GREYLIST");
        assertThat(r.headerChanges()).anySatisfy(h -> assertThat(h.name()).isEqualTo("X-Rspamd-Pre-Result"));
    }

    @Test
    void aStepThatThrowsIsSkippedAndTheNextOneStillRuns() {
        ScanResult r = engine((ctx, v) -> {
            throw new IllegalStateException("store exploded");
        }, (ctx, v) -> v.withAction(Action.ADD_HEADER)).scan(Fixtures.message("plain-good.eml"), Envelope.EMPTY);
        assertThat(r.action()).isEqualTo(Action.ADD_HEADER);
    }

    @Test
    void stepsSeeTheScoredVerdictOfTheRules() {
        ScanResult plain = engine().scan(Fixtures.message("gtube.eml"), Envelope.EMPTY);
        Verdict[] seen = new Verdict[1];
        engine((ctx, v) -> seen[0] = v).scan(Fixtures.message("gtube.eml"), Envelope.EMPTY);
        assertThat(seen[0].action()).isEqualTo(plain.action());
        assertThat(seen[0].hasPreResult()).isTrue();
        assertThat(seen[0].score()).isEqualTo(plain.score());
    }
}
