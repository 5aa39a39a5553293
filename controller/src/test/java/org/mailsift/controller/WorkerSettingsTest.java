package org.mailsift.controller;

import org.mailsift.core.config.BindSocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailsift.controller.security.PasswordHash;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;

class WorkerSettingsTest {
    private static final Position AT = new Position("local.d/worker-controller.inc", 3, 1);

    /** A section as the UCL parser builds it: repeated keys keep every value. */
    private static UclObject section(Object... keyValues) {
        Map<String, List<UclValue>> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.computeIfAbsent((String) keyValues[i], k -> new ArrayList<>()).add(new UclScalar(keyValues[i + 1], AT));
        }
        return new UclObject(m, AT);
    }

    @Test
    void defaultsBindLoopbackAndTrustLoopbackOnTheController() throws Exception {
        WorkerSettings c = WorkerSettings.fromConfig(section(), WorkerSettings.controllerDefaults(), w -> { });

        assertThat(c.binds()).extracting(BindSocket::address).containsExactly(new InetSocketAddress("127.0.0.1", 11334));
        assertThat(c.secureIps()).extracting(Object::toString).containsExactly("127.0.0.1", "::1");
        assertThat(c.maxBodyBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(WorkerSettings.normalDefaults().binds().get(0).address()).isEqualTo(new InetSocketAddress("127.0.0.1", 11333));
    }

    @Test
    void repeatedBindSocketAndSecureIpAccumulate() {
        List<String> warnings = new ArrayList<>();
        WorkerSettings c = WorkerSettings.fromConfig(section(
                "bind_socket", "127.0.0.1:11334", "bind_socket", "/run/mailsift/controller.sock mode=0660",
                "secure_ip", "10.0.0.0/8", "secure_ip", "::1",
                "password", PasswordHash.create("x", 1000), "enable_password", "plain-secret",
                "count", 4L, "frobnicate", true), WorkerSettings.controllerDefaults(), warnings::add);

        assertThat(c.binds()).hasSize(2);
        assertThat(c.binds().get(1).isUnix()).isTrue();
        assertThat(c.binds().get(1).unixMode()).isEqualTo(0660);
        assertThat(c.secureIps()).extracting(Object::toString).containsExactly("10.0.0.0/8", "::1");
        assertThat(c.password().orElseThrow().isHashed()).isTrue();
        assertThat(warnings).anyMatch(w -> w.contains("unknown option 'frobnicate'"))
                .anyMatch(w -> w.contains("enable_password is stored in plaintext"))
                .noneMatch(w -> w.contains("'count'"));
    }

    @Test
    void badValuesNameTheirPosition() {
        assertThatThrownBy(() -> WorkerSettings.fromConfig(section("secure_ip", "not-an-ip"), WorkerSettings.controllerDefaults(), w -> { }))
                .isInstanceOf(ConfigException.class).hasMessageContaining("worker-controller.inc");
        assertThatThrownBy(() -> WorkerSettings.fromConfig(section("password", "$2$abc$def"), WorkerSettings.controllerDefaults(), w -> { }))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mailsift pw");
    }

    @Test
    void wellKnownDefaultPasswordsAreWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        WorkerSettings.fromConfig(section("password", "q1"), WorkerSettings.controllerDefaults(), warnings::add);

        assertThat(warnings).anyMatch(w -> w.contains("well-known default"));
    }
}
