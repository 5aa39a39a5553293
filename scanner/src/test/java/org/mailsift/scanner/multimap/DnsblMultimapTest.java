package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.testsupport.TestDnsServer;

/** multimap type dnsbl through the daemon's resolver against a real DNS server on loopback. */
class DnsblMultimapTest {
    @TempDir
    Path etc;
    private TestDnsServer dns;
    private NettyDnsResolver resolver;
    private ScanEngine engine;

    private static final byte[] MESSAGE = "From: a@sender.example\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhi\r\n"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.a("7.100.51.198.bl.example", "127.0.0.2");
        dns.a("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example", "127.0.0.2");
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                LOCAL_BL { type = "dnsbl"; map = "bl.example"; score = 4; }
                LOCAL_BL_REJECT { type = "dnsbl"; map = "bl.example"; action = "reject"; message = "listed"; enabled = false; }
                """);
        engine = EngineFactory.create(ConfigDirectory.open(etc), List.of(), resolver);
    }

    @AfterEach
    void stop() {
        engine.close();
        resolver.close();
        dns.close();
    }

    private static SymbolResult symbol(ScanResult r, String name) {
        return r.symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Test
    void aListedClientGetsTheSymbolWithTheZoneAndAnUnlistedOneNothing() {
        ScanResult listed = engine.scan(MESSAGE, Envelope.builder().clientIp("198.51.100.7").build());
        assertThat(symbol(listed, "LOCAL_BL").score()).isEqualTo(4.0);
        assertThat(symbol(listed, "LOCAL_BL").options()).containsExactly("bl.example");
        assertThat(symbol(listed, "LOCAL_BL_REJECT")).isNull();
        assertThat(listed.action()).isNotEqualTo(Action.REJECT);

        assertThat(symbol(engine.scan(MESSAGE, Envelope.builder().clientIp("198.51.100.8").build()), "LOCAL_BL")).isNull();
        assertThat(symbol(engine.scan(MESSAGE, Envelope.builder().clientIp("2001:db8::5").build()), "LOCAL_BL")).isNotNull();
    }

    @Test
    void addressesAreReversedAsDnsListsWantThem() throws Exception {
        assertThat(DnsblRule.reversed(InetAddress.getByName("198.51.100.7"))).isEqualTo("7.100.51.198");
        assertThat(DnsblRule.reversed(InetAddress.getByName("2001:db8::5")))
                .isEqualTo("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
    }
}
