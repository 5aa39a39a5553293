package org.mailsift.scanner.usersettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;

/** settings.conf rules as Rspamd's settings module matches and applies them. */
class UserSettingsTest {
    private static final ParsedMessage MESSAGE = new MessageParser(ParseLimits.DEFAULT).parseMessage(
            ("From: Boss <boss@corp.example>\r\nTo: team@corp.example\r\nCc: Audit <audit@ext.example>\r\n"
                    + "Subject: quarterly numbers\r\nX-Mailer: BulkBlaster 9\r\n\r\nbody\r\n")
                    .getBytes(StandardCharsets.UTF_8));

    private final List<String> warnings = new ArrayList<>();

    private UserSettings settings(String ucl) {
        return UserSettings.from(new UclParser(Map.of()).parse(ucl, "settings.conf", null), warnings::add);
    }

    private static Envelope.Builder envelope() {
        return Envelope.builder().clientIp("203.0.113.7").mailFrom("sender@outside.example").addRcpt("alice@corp.example");
    }

    private static String chosen(UserSettings s, Envelope e) {
        return s.select(MESSAGE, e, false).name();
    }

    @Test
    void aRecipientsOwnRejectThresholdAppliesToHerMailOnly() {
        UserSettings s = settings("""
                strict_alice {
                  rcpt = "alice@corp.example";
                  apply { actions { reject = 5; "add header" = 3; greylist = null; } }
                }
                """);
        MessageSettings alice = s.select(MESSAGE, envelope().build(), false);
        assertThat(alice.name()).isEqualTo("strict_alice");
        ActionsSettings actions = alice.actions(ActionsSettings.DEFAULTS);
        assertThat(actions.thresholds()).containsEntry(Action.REJECT, 5.0).containsEntry(Action.ADD_HEADER, 3.0)
                .doesNotContainKey(Action.GREYLIST);
        assertThat(actions.requiredScore()).isEqualTo(5.0);
        MessageSettings bob = s.select(MESSAGE, envelope().clearRcpt().addRcpt("bob@corp.example").build(), false);
        assertThat(bob.isNone()).isTrue();
        assertThat(bob.actions(ActionsSettings.DEFAULTS)).isEqualTo(ActionsSettings.DEFAULTS);
    }

    @Test
    void addressPatternsAreWholeAddressesDomainsLocalPartsOrRegexps() {
        UserSettings s = settings("""
                by_domain { rcpt = "@Corp.Example"; apply { actions { reject = 1; } } }
                """);
        assertThat(chosen(s, envelope().build())).isEqualTo("by_domain");
        UserSettings user = settings("by_user { rcpt = \"alice\"; apply { BAYES_SPAM = 1; } }");
        assertThat(chosen(user, envelope().build())).isEqualTo("by_user");
        UserSettings re = settings("by_re { from = \"/^sender@.*\\\\.example$/i\"; apply { BAYES_SPAM = 1; } }");
        assertThat(chosen(re, envelope().build())).isEqualTo("by_re");
        assertThat(chosen(re, envelope().mailFrom("").build())).isNull();
    }

    @Test
    void conditionsOfOneRuleMustAllHoldAndValuesOfOneAreAlternatives() {
        UserSettings s = settings("""
                both {
                  from = ["nobody@x.example", "sender@outside.example"];
                  ip = "203.0.113.0/24";
                  apply { actions { reject = 1; } }
                }
                """);
        assertThat(chosen(s, envelope().build())).isEqualTo("both");
        assertThat(chosen(s, envelope().clientIp("198.51.100.1").build())).isNull();
        assertThat(chosen(s, envelope().mailFrom("other@outside.example").build())).isNull();
    }

    @Test
    void mimeAddressesHostnameUserAuthenticatedLocalHeaderAndSelectorMatch() {
        assertThat(chosen(settings("r { from_mime = \"@corp.example\"; apply { A = 1; } }"), envelope().build()))
                .isEqualTo("r");
        assertThat(chosen(settings("r { rcpt_mime = \"audit@ext.example\"; apply { A = 1; } }"), envelope().build()))
                .isEqualTo("r");
        assertThat(chosen(settings("r { hostname = \"/\\\\.isp\\\\.example$/\"; apply { A = 1; } }"),
                envelope().clientHostname("dyn-7.isp.example").build())).isEqualTo("r");
        assertThat(chosen(settings("r { user = \"@corp.example\"; apply { A = 1; } }"),
                envelope().authUser("alice@corp.example").build())).isEqualTo("r");
        UserSettings authed = settings("r { authenticated = yes; apply { A = 1; } }");
        assertThat(chosen(authed, envelope().authUser("alice").build())).isEqualTo("r");
        assertThat(chosen(authed, envelope().build())).isNull();
        UserSettings local = settings("r { local = yes; apply { A = 1; } }");
        assertThat(chosen(local, envelope().clientIp("127.0.0.1").build())).isEqualTo("r");
        assertThat(chosen(local, envelope().build())).isNull();
        assertThat(local.select(MESSAGE, envelope().build(), true).name()).isEqualTo("r"); // in local_addrs
        assertThat(chosen(settings("r { header { \"X-Mailer\" = \"/bulkblaster/i\"; } apply { A = 1; } }"),
                envelope().build())).isEqualTo("r");
        assertThat(chosen(settings("r { header { \"List-Id\" = false; } apply { A = 1; } }"), envelope().build()))
                .isEqualTo("r");
        assertThat(chosen(settings("r { selector = \"header('X-Mailer')\"; apply { A = 1; } }"), envelope().build()))
                .isEqualTo("r");
        assertThat(chosen(settings("r { selector = \"header('X-Absent')\"; apply { A = 1; } }"), envelope().build()))
                .isNull();
    }

    @Test
    void inverseMatchesWhenNoConditionHoldsAndAnExpressionCombinesThem() {
        UserSettings inverse = settings("r { rcpt = \"@corp.example\"; inverse = true; apply { A = 1; } }");
        assertThat(chosen(inverse, envelope().build())).isNull();
        assertThat(chosen(inverse, envelope().clearRcpt().addRcpt("x@else.example").build())).isEqualTo("r");
        UserSettings expr = settings("""
                r { rcpt = "@corp.example"; authenticated = yes; expression = "rcpt & !authenticated"; apply { A = 1; } }
                """);
        assertThat(chosen(expr, envelope().build())).isEqualTo("r");
        assertThat(chosen(expr, envelope().authUser("u").build())).isNull();
    }

    @Test
    void higherPriorityFirstThenNameAndTheFirstMatchWins() {
        UserSettings s = settings("""
                b_low { rcpt = "@corp.example"; apply { actions { reject = 30; } } }
                a_low { rcpt = "@corp.example"; priority = low; apply { actions { reject = 20; } } }
                z_high { rcpt = "alice@corp.example"; priority = high; apply { actions { reject = 10; } } }
                m_medium { rcpt = "@corp.example"; priority = 2; apply { actions { reject = 40; } } }
                """);
        assertThat(chosen(s, envelope().build())).isEqualTo("z_high");
        assertThat(chosen(s, envelope().clearRcpt().addRcpt("bob@corp.example").build())).isEqualTo("m_medium");
    }

    @Test
    void aClientAsksForSettingsByIdOrSendsThemInlineAndAHigherPriorityRuleStillWins() {
        UserSettings s = settings("""
                outbound { id = "outbound"; apply { actions { reject = 50; } } }
                dkim_only { apply { groups_enabled = ["dkim"]; } }
                vip { rcpt = "alice@corp.example"; priority = high; apply { actions { reject = 8; } } }
                everyone { rcpt = "@corp.example"; apply { actions { reject = 9; } } }
                """);
        Envelope bob = envelope().clearRcpt().addRcpt("bob@corp.example").build();
        assertThat(s.select(MESSAGE, withId(bob, "outbound"), false).name()).isEqualTo("outbound");
        assertThat(s.select(MESSAGE, withId(bob, "dkim_only"), false).apply().groupsEnabled()).containsExactly("dkim");
        assertThat(s.select(MESSAGE, withId(envelope().build(), "outbound"), false).name()).isEqualTo("vip");
        assertThat(s.select(MESSAGE, withId(bob, "no_such_id"), false).name()).isEqualTo("everyone");
        MessageSettings inline = s.select(MESSAGE, Envelope.builder().settings("{ actions { reject = 3; } BAYES_SPAM = 9; }")
                .build(), false);
        assertThat(inline.name()).isEqualTo("HTTP query");
        assertThat(inline.actions(ActionsSettings.DEFAULTS).requiredScore()).isEqualTo(3.0);
        assertThat(inline.weight("BAYES_SPAM", 5.1)).isEqualTo(9.0);
        assertThat(s.select(MESSAGE, Envelope.builder().settings("{ broken").build(), false).isNone()).isTrue();
        // a client cannot make the server read its files
        assertThat(s.select(MESSAGE, Envelope.builder().settings(".load(key=\"subject\") \"/etc/hostname\"")
                .build(), false).isNone()).isTrue();
        // rules without conditions apply only when asked for
        assertThat(s.select(MESSAGE, Envelope.EMPTY, false).isNone()).isTrue();
    }

    private static Envelope withId(Envelope e, String id) {
        return new Envelope(e.clientIp(), e.helo(), e.clientHostname(), e.mailFrom(), e.rcptTo(), e.authUser(),
                e.queueId(), e.mtaName(), e.tlsVersion(), e.tlsCipher(), e.deliverTo(), id, null);
    }

    @Test
    void enabledAndDisabledSymbolsAndGroupsFollowRspamdsOrder() {
        MessageSettings m = settings("""
                r { rcpt = "@corp.example";
                    apply { symbols_enabled = ["A", "B"]; groups_enabled = ["g"]; symbols_disabled = ["B", "G2"]; } }
                """).select(MESSAGE, envelope().build(), false);
        assertThat(m.enabled("A", "x")).isTrue();
        assertThat(m.enabled("B", "x")).isFalse();
        assertThat(m.enabled("G1", "g")).isTrue();
        assertThat(m.enabled("G2", "g")).isFalse();
        assertThat(m.enabled("C", "x")).isFalse();
        MessageSettings off = settings("r { rcpt = \"@corp.example\"; apply { groups_disabled = [\"rbl\"]; } }")
                .select(MESSAGE, envelope().build(), false);
        assertThat(off.enabled("RBL_X", "rbl")).isFalse();
        assertThat(off.enabled("OTHER", "headers")).isTrue();
        assertThat(off.runs(List.of("RBL_X", "RBL_Y"), name -> "rbl")).isFalse();
    }

    @Test
    void wantSpamSkipsEverythingAndRuleSymbolsAreAdded() {
        MessageSettings wl = settings("w { rcpt = \"postmaster@corp.example\"; want_spam = yes; }")
                .select(MESSAGE, envelope().clearRcpt().addRcpt("postmaster@corp.example").build(), false);
        assertThat(wl.skipsEveryRule()).isTrue();
        assertThat(wl.runs(List.of("A"), n -> "g")).isFalse();
        MessageSettings tagged = settings("""
                t { rcpt = "@corp.example"; symbols = ["CORP_MAIL"]; apply { subject = "[corp] %s"; symbols { EXTRA = 2; } } }
                """).select(MESSAGE, envelope().build(), false);
        assertThat(tagged.insertedSymbols()).containsEntry("CORP_MAIL", 1.0).containsEntry("EXTRA", 2.0);
        assertThat(tagged.actions(ActionsSettings.DEFAULTS).rewriteSubject("hi", 1)).isEqualTo("[corp] hi");
    }

    @Test
    void theStockWrapperTheLegacyMetricAndAMapFileAreRead() throws Exception {
        UserSettings wrapped = settings("""
                settings { a { rcpt = "@corp.example"; apply "default" { actions { reject = 4; } } } }
                b { rcpt = "@x.example"; apply { A = 1; } }
                """);
        assertThat(wrapped.size()).isEqualTo(2);
        assertThat(wrapped.select(MESSAGE, envelope().build(), false).actions(ActionsSettings.DEFAULTS).requiredScore())
                .isEqualTo(4.0);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("settings", ".map");
        try {
            java.nio.file.Files.writeString(file, "m { rcpt = \"@corp.example\"; apply { A = 1; } }\n");
            assertThat(chosen(settings("settings = \"file://" + file + "\";"), envelope().build())).isEqualTo("m");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void badValuesNameTheirPlaceAndOddOnesAreWarnings() {
        assertThatThrownBy(() -> settings("r {\n  rcpt = \"/[unclosed/\";\n  apply { A = 1; }\n}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("settings.conf:2:10: ");
        assertThatThrownBy(() -> settings("r { priority = urgent; rcpt = \"a\"; apply { A = 1; } }"))
                .hasMessageContaining("priority must be high, medium, low or a number");
        assertThatThrownBy(() -> settings("r { rcpt = \"a\"; expression = \"rcpt & ip\"; apply { A = 1; } }"))
                .hasMessageContaining("unknown condition 'ip'");
        assertThatThrownBy(() -> settings("r { selector = \"nosuch()\"; apply { A = 1; } }"))
                .hasMessageContaining("invalid selector");
        UserSettings s = settings("""
                r { rcpt = "a"; colour = blue; apply { actions { frobnicate = 3; } flags = ["x"]; } }
                empty { rcpt = "b"; }
                """);
        assertThat(s.size()).isEqualTo(1);
        assertThat(warnings).anyMatch(w -> w.contains("unknown option 'colour'"))
                .anyMatch(w -> w.contains("unknown action 'frobnicate'"))
                .anyMatch(w -> w.contains("'flags'"))
                .anyMatch(w -> w.contains("settings rule 'empty' has no apply"));
    }
}
