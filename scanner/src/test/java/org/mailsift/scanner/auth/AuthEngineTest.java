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
    void checkAuthedAndCheckLocalMakeThoseSendersCheckedToo() throws Exception {
        publishExampleCom("v=DMARC1; p=reject");
        Envelope submission = Envelope.builder().clientIp("203.0.113.50").helo("laptop").mailFrom("alice@example.com")
                .addRcpt("carol@example.org").authUser("alice@example.com").mtaName("mx.example.net").build();
        assertThat(symbols(engine(new TestConfig()).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), submission)))
                .noneMatch(s -> s.startsWith("R_SPF") || s.startsWith("DMARC"));
        ScanResult checked = engine(new TestConfig().with("spf", TestConfig.obj("check_authed", true)))
                .scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), submission);
        assertThat(symbols(checked)).contains("R_SPF_FAIL", "DMARC_POLICY_REJECT");

        Envelope local = Envelope.builder().clientIp("127.0.0.1").helo("localhost").mailFrom("alice@example.com")
                .addRcpt("carol@example.org").mtaName("mx.example.net").build();
        assertThat(symbols(engine(new TestConfig()).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), local)))
                .noneMatch(s -> s.startsWith("R_SPF") || s.startsWith("DMARC"));
        assertThat(symbols(engine(new TestConfig().with("dmarc", TestConfig.obj("check_local", true)))
                .scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), local))).contains("R_SPF_FAIL", "DMARC_POLICY_REJECT");
    }

    @Test
    void aDmarcFailureGivesRspamdsReasonQuotedWithItsParentheses() throws Exception {
        publishExampleCom("v=DMARC1; p=quarantine");
        dns.txt("lists.example.org", "v=spf1 ip4:192.0.2.0/24 -all");
        Envelope viaList = Envelope.builder().clientIp("192.0.2.1").helo("mx.example.org").mailFrom("bounce@lists.example.org")
                .addRcpt("bob@example.net").mtaName("mx.example.net").build();
        ScanResult r = engine(new TestConfig()).scan(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), viaList);
        assertThat(header(r, "Authentication-Results")).contains(
                "dmarc=fail reason=\"SPF not aligned (relaxed), No valid DKIM\" header.from=example.com (policy=quarantine)");
        assertThat(AuthenticationResults.quoted("say \"hi\" \\ (now)\r\n")).isEqualTo("\"say \\\"hi\\\" \\\\ (now)  \"");
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
        resolver = resolverWithTimeout(Duration.ofMillis(300));
        // that the budget, not the lookups' timeouts, ends the scan is theMessagesDnsBudgetEndsLookups...'s proof
        ScanResult r = engine(new TestConfig()).scan(signed(MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
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
        // bounded: a loop or an unbounded chain would never end; the bound only tells "ends" from "stuck"
        ScanResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> engine(new TestConfig()).scan((many + MESSAGE).getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE));
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

    // --- python3-dkim-signed messages, tampered with: the symbol and DKIM_TRACE option (as Rspamd) of each --------

    ScanResult scan(String message, double budgetSeconds) {
        ScanEngine engine = EngineFactory.create(new TestConfig().with("options",
                TestConfig.obj("dns", TestConfig.obj("budget", budgetSeconds))), List.of(), resolver);
        return engine.scan(message.getBytes(StandardCharsets.ISO_8859_1), FROM_OUTSIDE);
    }

    NettyDnsResolver resolverWithTimeout(Duration timeout) {
        DnsSettings d = DnsSettings.DEFAULTS;
        return new NettyDnsResolver(new DnsSettings(true, DnsSettings.parseNameservers(dns.address()), timeout,
                d.retransmits(), d.budget(), d.cacheSize(), d.maxErrors(), d.reviveTime()), null);
    }

    String dkimpySigned(String selector, boolean length) throws Exception {
        Path keyFile = dir.resolve("rsa.key");
        if (!java.nio.file.Files.exists(keyFile)) {
            DkimKeyFiles.write(keyFile, key.getPrivate());
        }
        return new String(new DkimPy(dir).run(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "sign", keyFile.toString(),
                "example.com", selector, "relaxed/relaxed", "from:to:subject:date:message-id", "rsa-sha256",
                length ? "yes" : "no"), StandardCharsets.ISO_8859_1);
    }

    /** The R_DKIM_* symbols and DKIM_TRACE with its options, sorted. */
    static List<String> dkim(ScanResult r) {
        return r.symbols().stream().filter(s -> s.name().startsWith("R_DKIM") || s.name().equals("DKIM_TRACE"))
                .map(s -> s.name() + (s.name().equals("DKIM_TRACE") ? String.valueOf(s.options()) : "")).sorted().toList();
    }

    @Test
    void eachTamperedCopyOfAPython3DkimSignedMessageGetsTheSymbolRspamdGives() throws Exception {
        DkimPy.assumeInstalled();
        dns.txt("good._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        dns.txt("revoked._domainkey.example.com", "v=DKIM1; k=rsa; p=");
        dns.txt("huge._domainkey.example.com", "v=DKIM1; k=rsa; p=" + "A".repeat(62 * 1024));
        dns.behaviour("broken._domainkey.example.com", TestDnsServer.Behaviour.SERVFAIL);
        String good = dkimpySigned("good", false);
        assertThat(dkim(scan(good, 10))).containsExactly("DKIM_TRACE[example.com:+]", "R_DKIM_ALLOW");
        assertThat(dkim(scan(good.replace("The report is", "The reports are"), 10))).as("body changed")
                .containsExactly("DKIM_TRACE[example.com:-]", "R_DKIM_REJECT");
        assertThat(dkim(scan(good.replace("Subject: Quarterly", "Subject: Annual"), 10))).as("signed header changed")
                .containsExactly("DKIM_TRACE[example.com:-]", "R_DKIM_REJECT");
        assertThat(dkim(scan(dkimpySigned("revoked", false), 10))).as("revoked key p=")
                .containsExactly("DKIM_TRACE[example.com:~]", "R_DKIM_PERMFAIL");
        assertThat(dkim(scan(dkimpySigned("nokey", false), 10))).as("a selector without a key")
                .containsExactly("DKIM_TRACE[example.com:~]", "R_DKIM_PERMFAIL");
        ScanResult huge = scan(dkimpySigned("huge", false), 10);
        assertThat(dkim(huge)).as("a 64 KB TXT record").containsExactly("DKIM_TRACE[example.com:~]", "R_DKIM_PERMFAIL");
        assertThat(header(huge, "Authentication-Results")).as("the record arrived (truncated over UDP, whole over TCP)")
                .contains("dkim=permerror").doesNotContain("no key");
        assertThat(dkim(scan(dkimpySigned("broken", false), 10))).as("SERVFAIL for the key")
                .containsExactly("DKIM_TRACE[example.com:?]", "R_DKIM_TEMPFAIL");
        String withLength = dkimpySigned("good", true);
        assertThat(dkim(scan(withLength, 10))).containsExactly("DKIM_TRACE[example.com:+]", "R_DKIM_ALLOW");
        assertThat(dkim(scan(withLength + "Click https://evil.example/ now\r\n", 10))).as("content after l=")
                .containsExactly("DKIM_TRACE[example.com:~]", "R_DKIM_PERMFAIL");
    }

    @Test
    void anExpiredSignatureIsAPermanentFailure() throws Exception {
        // python3-dkim cannot write x=: mailsift's signer, whose output python3-dkim verifies (DkimInteropTest)
        dns.txt("good._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        long now = System.currentTimeMillis() / 1000;
        String expired = DkimSigner.sign(new HeaderHashInput(RawMessage.parse(MESSAGE.getBytes(StandardCharsets.ISO_8859_1))),
                "example.com", "good", key.getPrivate(), SignedHeaders.parse(SignedHeaders.RSPAMD_DEFAULT),
                Canonicalization.RELAXED, Canonicalization.RELAXED, now - 7200, 3600);
        assertThat(dkim(scan("DKIM-Signature: " + expired + "\r\n" + MESSAGE, 10)))
                .containsExactly("DKIM_TRACE[example.com:~]", "R_DKIM_PERMFAIL");
    }

    @Test
    void theMessagesDnsBudgetEndsLookupsTheNameserverWouldStillWaitFor() {
        // each lookup could wait 60 s for the silent server; the message's budget of half a second ends them all, so
        // the scan ends (long before any lookup's timeout) with the DNSFAIL / TEMPFAIL symbols
        dns.defaultBehaviour(TestDnsServer.Behaviour.SILENT);
        resolver.close();
        resolver = resolverWithTimeout(Duration.ofSeconds(60));
        ScanResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> scan("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=good; h=from; bh=AAAA; b=AAAA\r\n" + MESSAGE, 0.5));
        assertThat(symbols(r)).contains("R_DKIM_TEMPFAIL", "R_SPF_DNSFAIL", "DMARC_DNSFAIL");
        assertThat(dkim(r)).contains("DKIM_TRACE[example.com:?]");
    }
}
