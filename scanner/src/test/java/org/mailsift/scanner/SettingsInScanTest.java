package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.usersettings.UserSettings;

/** settings.conf seen through a scan: thresholds, rules that run, symbols that count, and the client's Settings-Id. */
class SettingsInScanTest {
    private static final byte[] MSG = "From: a@example.org\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n".getBytes();

    /** A rule inserting one symbol, counting how often it ran. */
    private record Counting(String name, String group, double weight, AtomicInteger runs) implements Rule {
        Counting(String name, String group, double weight) {
            this(name, group, weight, new AtomicInteger());
        }

        @Override
        public List<SymbolDefinition> symbols() {
            return List.of(new SymbolDefinition(name, group, weight, ""));
        }

        @Override
        public void check(ScanContext context) {
            runs.incrementAndGet();
            context.insert(name, 1.0, List.of());
        }
    }

    private final Counting bulk = new Counting("BULK_MAILER", "headers", 4.0);
    private final Counting listed = new Counting("RBL_LISTED", "rbl", 3.0);

    private ScanEngine engine(String settingsConf) {
        UserSettings rules = UserSettings.from(new UclParser(Map.of()).parse(settingsConf, "settings.conf", null),
                w -> { });
        return new ScanEngine(List.of(bulk, listed), EngineSettings.DEFAULTS.withUserSettings(rules),
                ParseLimits.DEFAULT, "mx.test");
    }

    private static Envelope to(String rcpt) {
        return Envelope.builder().clientIp("198.51.100.9").mailFrom("x@example.org").addRcpt(rcpt).build();
    }

    @Test
    void aRecipientWithHerOwnRejectThresholdGetsRejectedAtALowerScore() {
        ScanEngine e = engine("strict { rcpt = \"strict@example.com\"; apply { actions { reject = 6; } } }");
        ScanResult strict = e.scan(MSG, to("strict@example.com"));
        assertThat(strict.score()).isEqualTo(7.0);
        assertThat(strict.action()).isEqualTo(Action.REJECT);
        assertThat(strict.requiredScore()).isEqualTo(6.0);
        assertThat(strict.thresholds()).containsEntry("reject", 6.0);
        ScanResult other = e.scan(MSG, to("other@example.com"));
        assertThat(other.action()).isEqualTo(Action.ADD_HEADER);
        assertThat(other.requiredScore()).isEqualTo(15.0);
    }

    @Test
    void settingsAddAndRemoveHeadersAsRspamdsMilterReply() {
        ScanEngine e = engine("""
                internal {
                  rcpt = "@example.com";
                  apply {
                    add_headers { "X-Policy" = "internal"; "X-Top" = { value = "first"; order = 0; } }
                    remove_headers { "X-Spam-Flag" = 0; "Received" = 1; }
                  }
                }
                """);
        ScanResult r = e.scan(MSG, to("bob@example.com"));
        assertThat(r.headerChanges()).contains(HeaderChange.add("X-Policy", "internal"),
                HeaderChange.insert("X-Top", "first", 0), HeaderChange.removeAll("X-Spam-Flag"),
                HeaderChange.remove("Received", 1));
        assertThat(e.scan(MSG, to("x@other.example")).headerChanges())
                .doesNotContain(HeaderChange.add("X-Policy", "internal"));
    }

    @Test
    void requestHeaderConditionsMatchWhatTheHttpClientSent() {
        ScanEngine e = engine("""
                outbound {
                  request_header { "MTA-Tag" = "^outbound$"; "X-Debug" = false; }
                  apply { actions { reject = 6; } }
                }
                """);
        Envelope tagged = Envelope.builder().clientIp("198.51.100.9").addRcpt("b@example.com")
                .requestHeader("mta-tag", "outbound").build();
        assertThat(e.scan(MSG, tagged).requiredScore()).isEqualTo(6.0);
        Envelope debugging = Envelope.builder().clientIp("198.51.100.9").addRcpt("b@example.com")
                .requestHeader("MTA-Tag", "outbound").requestHeader("X-Debug", "1").build();
        assertThat(e.scan(MSG, debugging).requiredScore()).isEqualTo(15.0);
        assertThat(e.scan(MSG, to("b@example.com")).requiredScore()).as("the milter sends no request headers")
                .isEqualTo(15.0);
    }

    /** One rule inserting two symbols of different groups, as regexp.conf's rules are one engine rule. */
    private record Pair() implements Rule {
        @Override
        public List<SymbolDefinition> symbols() {
            return List.of(new SymbolDefinition("PAIR_KEPT", "kept", 1.0, ""),
                    new SymbolDefinition("PAIR_OFF", "off", 1.0, ""));
        }

        @Override
        public void check(ScanContext context) {
            context.insert("PAIR_KEPT", 1.0, List.of());
            context.insert("PAIR_OFF", 1.0, List.of());
        }
    }

    @Test
    void aCompositeDoesNotSeeASymbolTheSettingsDisabled() {
        // Rspamd never inserts a disabled symbol, so a composite over it stays false (differential test: set_groups_disabled)
        List<String> seen = new java.util.ArrayList<>();
        org.mailsift.scanner.rules.FinalRule probe = new org.mailsift.scanner.rules.FinalRule() {
            @Override
            public List<SymbolDefinition> symbols() {
                return List.of();
            }

            @Override
            public void finish(org.mailsift.scanner.rules.SymbolHits hits, SymbolTable table) {
                List.of("PAIR_KEPT", "PAIR_OFF").stream().filter(hits::has).forEach(seen::add);
            }
        };
        UserSettings rules = UserSettings.from(new UclParser(Map.of()).parse(
                "quiet { rcpt = \"quiet@example.com\"; apply { groups_disabled = [\"off\"]; } }", "settings.conf", null),
                w -> { });
        ScanEngine e = new ScanEngine(List.of(new Pair(), probe), EngineSettings.DEFAULTS.withUserSettings(rules),
                ParseLimits.DEFAULT, "mx.test");
        ScanResult r = e.scan(MSG, to("quiet@example.com"));
        assertThat(seen).containsExactly("PAIR_KEPT");
        assertThat(r.symbols()).extracting(s -> s.name()).containsExactly("PAIR_KEPT");
    }

    @Test
    void aDisabledGroupDoesNotRunAndAScoreOverrideCounts() {
        ScanEngine e = engine("""
                authed { authenticated = yes; apply { groups_disabled = ["rbl"]; BULK_MAILER = 0.5; } }
                """);
        ScanResult r = e.scan(MSG, Envelope.builder().authUser("alice").addRcpt("b@example.com").build());
        assertThat(listed.runs()).hasValue(0);
        assertThat(r.symbols()).extracting(s -> s.name()).containsExactly("BULK_MAILER");
        assertThat(r.score()).isEqualTo(0.5);
        assertThat(r.action()).isEqualTo(Action.NO_ACTION);
    }

    @Test
    void onlyEnabledSymbolsRunWhenAClientAsksForSettingsById() {
        ScanEngine e = engine("rbl_only { apply { symbols_enabled = [\"RBL_LISTED\"]; } }");
        Envelope asked = new Envelope(null, null, null, null, List.of(), null, null, null, null, null, null,
                "rbl_only", null);
        ScanResult r = e.scan(MSG, asked);
        assertThat(bulk.runs()).hasValue(0);
        assertThat(r.symbols()).extracting(s -> s.name()).containsExactly("RBL_LISTED");
        assertThat(e.scan(MSG, Envelope.EMPTY).symbols()).hasSize(2);
    }

    @Test
    void wantSpamChecksNothingAndInlineSettingsChangeTheVerdict() {
        ScanEngine e = engine("pm { rcpt = \"postmaster@example.com\"; want_spam = yes; }");
        ScanResult pm = e.scan(MSG, to("postmaster@example.com"));
        assertThat(pm.symbols()).isEmpty();
        assertThat(pm.action()).isEqualTo(Action.NO_ACTION);
        // as in Rspamd the action is the one with the highest threshold reached: lower add_header too
        ScanResult inline = e.scan(MSG, Envelope.builder()
                .settings("{ actions { reject = 2; \"add header\" = 1; greylist = null; } }").build());
        assertThat(inline.action()).isEqualTo(Action.REJECT);
        assertThat(inline.requiredScore()).isEqualTo(2.0);
    }
}
