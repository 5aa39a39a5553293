package org.mailsift.milter;

import org.mailsift.core.config.BindSocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;

class MilterSettingsTest {

    /** A section as the parser would build it; a key given twice is a repeated key. */
    private static UclObject section(Object... keyValues) {
        Map<String, List<UclValue>> entries = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Position at = new Position("worker-proxy.inc", i / 2 + 1, 1);
            entries.computeIfAbsent((String) keyValues[i], k -> new ArrayList<>()).add(new UclScalar(keyValues[i + 1], at));
        }
        return new UclObject(entries, new Position("worker-proxy.inc", 0, 0));
    }

    @Test
    void defaultsListenWhereRspamdsProxyDoes() {
        MilterSettings s = MilterSettings.from(section(), w -> { });
        assertThat(s.bindSockets()).containsExactly(BindSocket.tcp("127.0.0.1", 11332));
        assertThat(s.enabled()).isTrue();
        assertThat(s.rejectMessage()).isEqualTo("Spam message rejected");
        assertThat(s.tempfailMessage()).isEqualTo("Try again later");
        assertThat(s.maxSize()).isEqualTo(50L * 1024 * 1024);
        assertThat(s.fallback()).isEqualTo(FallbackAction.ACCEPT);
    }

    @Test
    void anRspamdProxyConfigurationIsUnderstood() {
        List<String> warnings = new ArrayList<>();
        MilterSettings s = MilterSettings.from(section(
                "bind_socket", "localhost:11332", "bind_socket", "/run/mailsift/milter.sock mode=0660",
                "bind_socket", "unix:/var/spool/postfix/mailsift.sock", "milter", "yes", "timeout", 120.0,
                "discard_on_reject", false, "quarantine_on_reject", true, "reject_message", "No spam here",
                "tempfail_message", "Later", "spam_header", "X-Spam-Flag", "max_size", 1048576L,
                "fallback_action", "tempfail", "upstream", "ignored", "count", 1L), warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(s.bindSockets()).extracting(BindSocket::toString).containsExactly("localhost:11332", "localhost:11332",
                "unix:/run/mailsift/milter.sock", "unix:/var/spool/postfix/mailsift.sock");
        assertThat(s.scanTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.quarantineOnReject()).isTrue();
        assertThat(s.rejectMessage()).isEqualTo("No spam here");
        assertThat(s.maxSize()).isEqualTo(1048576L);
        assertThat(s.fallback()).isEqualTo(FallbackAction.TEMPFAIL);
    }

    @Test
    void unknownOptionsAreWarnedWithTheirPosition() {
        List<String> warnings = new ArrayList<>();
        MilterSettings.from(section("bind_sokcet", "127.0.0.1:1"), warnings::add);
        assertThat(warnings).containsExactly("worker-proxy.inc:1:1: unknown option 'bind_sokcet' in worker-proxy (ignored)");
    }

    @Test
    void milterNoDisablesTheListener() {
        assertThat(MilterSettings.from(section("milter", "no"), w -> { }).enabled()).isFalse();
        assertThat(MilterSettings.from(section("enabled", false), w -> { }).enabled()).isFalse();
    }

    @Test
    void badValuesFailAtStartupWithTheirPosition() {
        assertThatThrownBy(() -> MilterSettings.from(section("bind_socket", "nonsense"), w -> { }))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bind_socket");
        assertThatThrownBy(() -> MilterSettings.from(section("fallback_action", "shrug"), w -> { }))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fallback_action");
        assertThatThrownBy(() -> MilterSettings.from(section("bind_socket", "[::1]:99999"), w -> { }))
                .isInstanceOf(ConfigException.class);
    }
}
