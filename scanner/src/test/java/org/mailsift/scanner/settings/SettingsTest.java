package org.mailsift.scanner.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.arr;
import static org.mailsift.scanner.TestConfig.obj;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.TestConfig;

class SettingsTest {

    @Test
    void actionsDefaultsAreRspamds() {
        ActionsSettings a = ActionsSettings.from(new TestConfig());
        assertThat(a.actionFor(3.9)).isEqualTo(Action.NO_ACTION);
        assertThat(a.actionFor(4)).isEqualTo(Action.GREYLIST);
        assertThat(a.actionFor(6)).isEqualTo(Action.ADD_HEADER);
        assertThat(a.actionFor(15)).isEqualTo(Action.REJECT);
        assertThat(a.thresholds()).doesNotContainKey(Action.REWRITE_SUBJECT);
        assertThat(a.rewriteSubject("hello", 7)).isEqualTo("*** SPAM *** hello");
    }

    @Test
    void nullDisablesAnActionAndUnknownKeysAreReported() {
        TestConfig config = new TestConfig();
        ActionsSettings a = ActionsSettings.from(obj("greylist", null, "reject", 20, "rejct", 3), config::warn);
        assertThat(a.actionFor(5)).isEqualTo(Action.NO_ACTION);
        assertThat(a.requiredScore()).isEqualTo(20.0);
        assertThat(config.warnings()).singleElement().asString().contains("test.conf:1:1", "unknown option 'rejct'");
    }

    @Test
    void actionsWrappedInASectionAreReadToo() {
        ActionsSettings a = ActionsSettings.from(obj("actions", obj("add_header", 3)), w -> { });
        assertThat(a.actionFor(3.5)).isEqualTo(Action.ADD_HEADER);
    }

    @Test
    void groupsGiveWeightsAndCaps() {
        TestConfig config = new TestConfig();
        GroupsSettings g = GroupsSettings.from(obj("group", obj("headers", obj("max_score", 5.0, "symbols",
                obj("MISSING_DATE", obj("weight", 3.0, "bogus", 1))))), config);
        assertThat(g.maxScore("headers")).contains(5.0);
        assertThat(g.maxScore("subject")).contains(6.0);
        assertThat(g.symbols().get("MISSING_DATE").weight()).isEqualTo(3.0);
        assertThat(g.symbols().get("MISSING_DATE").group()).isEqualTo("headers");
        assertThat(config.warnings()).singleElement().asString().contains("bogus");
    }

    @Test
    void milterHeadersDefaultsAndExtendedHeaders() {
        assertThat(MilterHeadersSettings.DEFAULTS.routines()).containsExactly("x-spamd-result");
        assertThat(MilterHeadersSettings.DEFAULTS.skipLocal()).isTrue();
        TestConfig config = new TestConfig();
        MilterHeadersSettings m = MilterHeadersSettings.from(obj("extended_spam_headers", true, "skip_local", false,
                "use", arr("x-virus")), config);
        assertThat(m.routines()).contains("x-rspamd-queue-id", "x-spam-status", "x-spamd-bar");
        assertThat(m.skipLocal()).isFalse();
        assertThat(config.warnings()).singleElement().asString().contains("x-virus");
    }

    @Test
    void localAddrsMatchIpv4AndIpv6Networks() {
        TestConfig config = new TestConfig();
        OptionsSettings o = OptionsSettings.from(obj("local_addrs", arr("10.1.0.0/16", "2001:db8::/32", "nonsense")), config);
        assertThat(o.localAddrs().contains("10.1.2.3")).isTrue();
        assertThat(o.localAddrs().contains("10.2.0.1")).isFalse();
        assertThat(o.localAddrs().contains("2001:db8::1")).isTrue();
        assertThat(o.localAddrs().contains("127.0.0.1")).isFalse();
        assertThat(o.localAddrs().contains("mail.example.com")).isFalse();
        assertThat(config.warnings()).singleElement().asString().contains("nonsense");
        assertThat(OptionsSettings.DEFAULTS.localAddrs().contains("127.0.0.1")).isTrue();
    }
}
