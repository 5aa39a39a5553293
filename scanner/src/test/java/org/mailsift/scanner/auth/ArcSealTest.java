package org.mailsift.scanner.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.auth.arc.ArcResult;
import org.mailsift.scanner.auth.arc.ArcVerifier;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.testsupport.TestDnsServer;

/** A forwarding host seals what it passes on (arc.conf); python3-dkim's arc_verify and mailsift's own check agree. */
class ArcSealTest {
    static KeyPair key;
    TestDnsServer dns;
    NettyDnsResolver resolver;
    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        key = DkimKeyFiles.generate("rsa", 2048);
    }

    @BeforeEach
    void start() {
        DkimPy.assumeInstalled();
        dns = TestDnsServer.start();
        dns.txt("arc._domainkey.example.org", DkimKeyFiles.txtValue(key.getPublic()));
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
    }

    ScanEngine forwarder(String authservId) throws Exception {
        Path keyFile = dir.resolve("example.org.arc.key");
        DkimKeyFiles.write(keyFile, key.getPrivate());
        TestConfig config = new TestConfig()
                .with("options", TestConfig.obj("dns", TestConfig.obj("budget", 10)))
                .with("milter_headers", TestConfig.obj("hostname", authservId))
                .with("arc", TestConfig.obj("path", dir.resolve("$domain.$selector.key").toString()));
        return EngineFactory.create(config, List.of(), resolver);
    }

    static byte[] forward(ScanEngine engine, byte[] message, String mta) {
        Envelope env = Envelope.builder().clientIp("198.51.100.7").helo("out.example.com").mailFrom("alice@example.com")
                .addRcpt("list@example.org").mtaName(mta).build();
        ScanResult r = engine.scan(message, env);
        return HeaderRewriter.apply(message, r.headerChanges());
    }

    @Test
    void aForwardedMessageIsSealedAndTheChainVerifiesElsewhere() throws Exception {
        byte[] original = AuthEngineTest.MESSAGE.getBytes(StandardCharsets.ISO_8859_1);
        byte[] once = forward(forwarder("lists.example.org"), original, "lists.example.org");
        String text = new String(once, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("ARC-Seal: i=1; a=rsa-sha256;").contains("cv=none", "ARC-Message-Signature: i=1;",
                "ARC-Authentication-Results: i=1; lists.example.org;");
        MapAuthDns keys = new MapAuthDns().txt("arc._domainkey.example.org", DkimKeyFiles.txtValue(key.getPublic()));
        assertThat(ArcVerifier.verify(new HeaderHashInput(RawMessage.parse(once)), keys).join().outcome())
                .isEqualTo(ArcResult.Outcome.PASS);
        DkimPy py = new DkimPy(dir);
        Path zone = py.zone(Map.of("arc._domainkey.example.org", DkimKeyFiles.txtValue(key.getPublic())));
        assertThat(new String(py.run(once, "arcverify", zone.toString())).strip()).startsWith("pass");

        // the next hop checks the chain (ARC_ALLOW) and seals again with cv=pass
        byte[] twice = forward(forwarder("relay.example.org"), once, "relay.example.org");
        String second = new String(twice, StandardCharsets.ISO_8859_1);
        assertThat(second).startsWith("ARC-Seal: i=2;").contains("cv=pass", "arc=pass");
        assertThat(new String(py.run(twice, "arcverify", zone.toString())).strip()).startsWith("pass");
        assertThat(ArcVerifier.verify(new HeaderHashInput(RawMessage.parse(twice)), keys).join().instances()).isEqualTo(2);
    }

    @Test
    void withoutAKeyNothingIsSealed() throws Exception {
        TestConfig config = new TestConfig().with("options", TestConfig.obj("dns", TestConfig.obj("budget", 10)));
        byte[] out = forward(EngineFactory.create(config, List.of(), resolver),
                AuthEngineTest.MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "mx.example.org");
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).doesNotContain("ARC-Seal");
    }
}
