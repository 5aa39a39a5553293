package org.mailsift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** bind_socket as every listener reads it (milter, scan worker, controller): Rspamd's forms. */
class BindSocketTest {
    private static final Position AT = new Position("local.d/worker-proxy.inc", 2, 1);

    private static UclObject section(String... binds) {
        Map<String, List<UclValue>> m = new LinkedHashMap<>();
        for (String b : binds) {
            m.computeIfAbsent("bind_socket", k -> new ArrayList<>()).add(new UclScalar(b, AT));
        }
        return new UclObject(m, AT);
    }

    @Test
    void hostPortFormsFollowRspamd() throws Exception {
        assertThat(BindSocket.parse("127.0.0.1:11332")).containsExactly(BindSocket.tcp("127.0.0.1", 11332));
        assertThat(BindSocket.parse("localhost:11334")).extracting(b -> ((InetSocketAddress) b.address()).getAddress())
                .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        assertThat(((InetSocketAddress) BindSocket.parse("*:11333").get(0).address()).getAddress().isAnyLocalAddress()).isTrue();
        assertThat(((InetSocketAddress) BindSocket.parse("[::1]:11333").get(0).address()).getPort()).isEqualTo(11333);
    }

    @Test
    void unixSocketsWithOrWithoutPrefixAndMode() {
        BindSocket s = BindSocket.parse("/run/mailsift/milter.sock mode=0660").get(0);
        assertThat(s.isUnix()).isTrue();
        assertThat(s.path()).isEqualTo(Path.of("/run/mailsift/milter.sock"));
        assertThat(s.permissions()).contains(PosixFilePermissions.fromString("rw-rw----"));
        assertThat(BindSocket.parse("unix:/var/spool/postfix/mailsift.sock").get(0).path())
                .isEqualTo(Path.of("/var/spool/postfix/mailsift.sock"));
        assertThat(BindSocket.parse("unix:/x.sock").get(0).permissions()).isEmpty();
    }

    @Test
    void badFormsAreRefusedWithTheFileAndLine() {
        assertThatThrownBy(() -> BindSocket.parse("11333")).hasMessageContaining("needs host:port");
        assertThatThrownBy(() -> BindSocket.parse("[::1]:99999")).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> BindSocket.parse("systemd:mailsift.socket")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> BindSocket.read(section("127.0.0.1:11332", "nowhere"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("local.d/worker-proxy.inc:2");
    }

    @Test
    void everyRepeatedOptionCountsAndNoneMeansTheDefaults() {
        assertThat(BindSocket.read(section("127.0.0.1:1", "/run/a.sock"), List.of())).hasSize(2);
        List<BindSocket> defaults = BindSocket.parse("127.0.0.1:11332");
        assertThat(BindSocket.read(section(), defaults)).isSameAs(defaults);
    }
}
