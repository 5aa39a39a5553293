package org.mailsift.scanner.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.auth.dkim.Canonicalization;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.dkim.DkimSigner;
import org.mailsift.scanner.auth.dkim.DkimVerifier;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.scanner.auth.dkim.SignedHeaders;
import org.mailsift.testsupport.TestDnsServer;

/** The whole engine with the authentication module, the shared resolver and a DNS server serving each test's records. */
class AuthEngineTest {
    static final String MESSAGE = "Received: from mx.example.com (mx.example.com [192.0.2.1])\r\n\tby mx.example.net\r\n"
            + "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: Quarterly report\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <q-1@example.com>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain\r\n\r\nThe report is attached.\r\n";
    static final Envelope FROM_OUTSIDE = Envelope.builder().clientIp("192.0.2.1").helo("mx.example.com")
            .mailFrom("alice@example.com").addRcpt("bob@example.net").mtaName("mx.example.net").build();
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
        dns = TestDnsServer.start();
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
    }

    /** A budget far above any lookup here, so only the test that wants a timeout gets one. */
    ScanEngine engine(TestConfig config) {
        return EngineFactory.create(config.with("options", TestConfig.obj("dns", TestConfig.obj("budget", 10))),
                List.of(), resolver);
    }

    static String signed(String message) throws Exception {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        String v = DkimSigner.sign(new HeaderHashInput(RawMessage.parse(raw)), "example.com", "s1", key.getPrivate(),
                SignedHeaders.parse(SignedHeaders.RSPAMD_DEFAULT), Canonicalization.RELAXED, Canonicalization.RELAXED,
                System.currentTimeMillis() / 1000, 0);
        return "DKIM-Signature: " + v + "\r\n" + message;
    }

    void publishExampleCom(String dmarc) {
        dns.txt("s1._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        dns.txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        dns.txt("_dmarc.example.com", dmarc);
    }

    static String header(ScanResult r, String name) {
        return r.headerChanges().stream().filter(c -> c.name().equals(name) && c.kind() == HeaderChange.Kind.ADD)
                .map(HeaderChange::value).findFirst().orElse(null);
    }

    static List<String> symbols(ScanResult r) {
        return r.symbols().stream().map(SymbolResult::name).toList();
    }

    @Test
    void aSignedMessageFromAnAllowedServerPassesEverything() throws Exception {
        publishExampleCom("v=DMARC1; p=reject");
        ScanResult r = engine(new TestConfig()).scan(signed(MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        assertThat(symbols(r)).contains("R_DKIM_ALLOW", "DKIM_TRACE", "R_SPF_ALLOW", "DMARC_POLICY_ALLOW", "ARC_NA");
        assertThat(r.symbols()).filteredOn(s -> s.name().equals("DKIM_TRACE")).extracting(SymbolResult::options)
                .containsExactly(List.of("example.com:+"));
        String shortB = symbols(r).isEmpty() ? "" : header(r, "Authentication-Results").replaceAll("(?s).*header\\.b=(\\S{8}).*", "$1");
        assertThat(header(r, "Authentication-Results")).isEqualTo("mx.example.net;\r\n"
                + "\tdkim=pass header.d=example.com header.s=s1 header.b=" + shortB + ";\r\n"
                + "\tarc=none;\r\n"
                + "\tspf=pass (mx.example.net: domain of alice@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=alice@example.com;\r\n"
                + "\tdmarc=pass (policy=reject) header.from=example.com");
        assertThat(r.headerChanges()).filteredOn(c -> c.name().equals("Authentication-Results")).first()
                .extracting(HeaderChange::index).isEqualTo(0);
    }

    @Test
    void aForgedMessageFailsDmarcAndTheSitesActionsEnforceIt() throws Exception {
        publishExampleCom("v=DMARC1; p=reject");
        Envelope elsewhere = Envelope.builder().clientIp("198.51.100.9").helo("bad.example").mailFrom("alice@example.com")
                .addRcpt("bob@example.net").mtaName("mx.example.net").build();
        ScanResult scoreOnly = engine(new TestConfig()).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), elsewhere);
        assertThat(symbols(scoreOnly)).contains("R_SPF_FAIL", "R_DKIM_NA", "DMARC_POLICY_REJECT");
        assertThat(scoreOnly.action()).isNotEqualTo(Action.REJECT);
        assertThat(header(scoreOnly, "Authentication-Results")).contains(
                "dmarc=fail reason=\"No valid SPF, No valid DKIM\" header.from=example.com (policy=reject)",
                "spf=fail (mx.example.net: domain of alice@example.com does not designate 198.51.100.9 as permitted sender)");
        TestConfig enforcing = new TestConfig().with("dmarc", TestConfig.obj("actions",
                TestConfig.obj("reject", "reject", "quarantine", "add header")));
        ScanResult enforced = engine(enforcing).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), elsewhere);
        assertThat(enforced.action()).isEqualTo(Action.REJECT);
        assertThat(enforced.smtpMessage()).isEqualTo("Rejected due to DMARC Policy");
    }

    @Test
    void anAuthenticationResultsClaimingOurNameIsRemovedOthersKept() throws Exception {
        publishExampleCom("v=DMARC1; p=none");
        String spoofed = "Authentication-Results: mx.example.net; dkim=pass header.d=bank.example\r\n"
                + "Authentication-Results: relay.example.org; spf=pass smtp.mailfrom=example.com\r\n" + MESSAGE;
        ScanResult r = engine(new TestConfig()).scan(spoofed.getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        String out = new String(HeaderRewriter.apply(spoofed.getBytes(StandardCharsets.ISO_8859_1), r.headerChanges()),
                StandardCharsets.ISO_8859_1);
        assertThat(out).doesNotContain("bank.example").contains("Authentication-Results: relay.example.org;");
        assertThat(out).startsWith("Authentication-Results: mx.example.net;\r\n\tdkim=none;");
    }

    @Test
    void unansweredLookupsGiveDnsFailSymbolsWithinTheBudget() throws Exception {
        dns.defaultBehaviour(TestDnsServer.Behaviour.SILENT);
        resolver.close();
        DnsSettings d = DnsSettings.DEFAULTS;
        resolver = new NettyDnsResolver(new DnsSettings(true, DnsSettings.parseNameservers(dns.address()), Duration.ofMillis(300),
                d.retransmits(), d.budget(), d.cacheSize(), d.maxErrors(), d.reviveTime()), null);
        long t0 = System.nanoTime();
        ScanResult r = engine(new TestConfig()).scan(signed(MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(symbols(r)).contains("R_DKIM_TEMPFAIL", "R_SPF_DNSFAIL", "DMARC_DNSFAIL");
    }

    @Test
    void hostileInputEndsInPermanentFailuresInBoundedTime() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=AAAA; b=AAAA").append(i % 7 == 0 ? ";;=;" : "").append("\r\n");
        }
        dns.txt("s1._domainkey.example.com", "v=DKIM1; k=rsa; p=" + "A".repeat(60_000));
        dns.txt("example.com", "v=spf1 include:loop.example.com -all");
        dns.txt("loop.example.com", "v=spf1 include:example.com -all");
        dns.cname("_dmarc.example.com", "_dmarc.loop.example.com");
        dns.cname("_dmarc.loop.example.com", "_dmarc.example.com");
        long t0 = System.nanoTime();
        ScanResult r = engine(new TestConfig()).scan((many + MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(symbols(r)).contains("R_DKIM_PERMFAIL", "R_SPF_PERMFAIL").doesNotContain("R_DKIM_ALLOW");
        assertThat(symbols(r)).containsAnyOf("DMARC_NA", "DMARC_DNSFAIL");
    }

    @Test
    void localAndAuthenticatedSendersAreNotCheckedButSigned() throws Exception {
        Path keyFile = dir.resolve("example.com.s1.key");
        DkimKeyFiles.write(keyFile, key.getPrivate());
        publishExampleCom("v=DMARC1; p=reject");
        TestConfig config = new TestConfig().with("dkim_signing", TestConfig.obj("path",
                dir.resolve("$domain.$selector.key").toString(), "selector", "s1"));
        Envelope submission = Envelope.builder().clientIp("203.0.113.50").helo("laptop").mailFrom("alice@example.com")
                .addRcpt("carol@example.org").authUser("alice@example.com").build();
        ScanResult r = engine(config).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), submission);
        assertThat(symbols(r)).noneMatch(s -> s.startsWith("R_SPF") || s.startsWith("DMARC") || s.startsWith("R_DKIM"));
        String sig = header(r, "DKIM-Signature");
        assertThat(sig).contains("d=example.com", "s=s1", "a=rsa-sha256", "c=relaxed/relaxed");
        byte[] out = HeaderRewriter.apply(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), r.headerChanges());
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).startsWith("DKIM-Signature: v=1;");
        MapAuthDns keys = new MapAuthDns().txt("s1._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        assertThat(DkimVerifier.verify(new HeaderHashInput(RawMessage.parse(out)), keys, System.currentTimeMillis() / 1000)
                .join()).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);

        Envelope otherUser = Envelope.builder().clientIp("203.0.113.50").mailFrom("alice@example.com")
                .authUser("mallory@evil.example").build();
        assertThat(header(engine(config).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), otherUser), "DKIM-Signature"))
                .as("allow_username_mismatch = false").isNull();
        TestConfig missingKey = new TestConfig().with("dkim_signing", TestConfig.obj("path", dir.resolve("nope.key").toString()));
        ScanResult unsigned = engine(missingKey).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), submission);
        assertThat(header(unsigned, "DKIM-Signature")).isNull();
    }

    @Test
    void aValidSignatureOfADomainOnTheDnswlDomainListLowersTheScore() throws Exception {
        publishExampleCom("v=DMARC1; p=none");
        dns.a("example.com.dwl.dnswl.org", "127.0.10.3"); // DNSWL "high trust" for the signing domain
        ScanResult r = engine(new TestConfig()).scan(signed(MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        assertThat(symbols(r)).contains("R_DKIM_ALLOW", "DWL_DNSWL_HI");
        assertThat(r.symbols()).filteredOn(s -> s.name().equals("DWL_DNSWL_HI"))
                .extracting(SymbolResult::score, SymbolResult::options)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(-3.5, List.of("example.com:dkim")));
    }

    @Test
    void aBrokenSignatureIsNotVouchedForByTheDomainList() throws Exception {
        publishExampleCom("v=DMARC1; p=none");
        dns.a("example.com.dwl.dnswl.org", "127.0.10.3");
        String tampered = signed(MESSAGE).replace("The report is attached.", "The invoice is attached.");
        ScanResult r = engine(new TestConfig()).scan(tampered.getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
        assertThat(symbols(r)).contains("R_DKIM_REJECT").noneMatch(s -> s.startsWith("DWL_DNSWL"));
    }
}
