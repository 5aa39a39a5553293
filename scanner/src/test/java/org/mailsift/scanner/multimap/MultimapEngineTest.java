package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;

/** multimap.conf through the whole engine, from a real configuration directory (Rspamd's syntax, as admins write it). */
class MultimapEngineTest {
    @TempDir
    Path dir;
    private ScanEngine engine;

    static final String MESSAGE = """
            Received: from mail.sender.example (mail.sender.example [198.51.100.7])
            \tby mx.example.org (Postfix) with ESMTP id 4ABC; Thu, 3 Dec 2026 10:00:00 +0000
            From: Alice <alice@sender.example>
            To: bob@example.org
            Subject: quarterly numbers
            Message-ID: <m1@sender.example>
            Date: Thu, 3 Dec 2026 10:00:00 +0000
            X-Mailer: SpamBlaster 3000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            See https://Www.Shop.Bad-Domain.co.uk/path/x?y=1 and http://good.example/ now
            --b
            Content-Type: application/octet-stream; name="invoice.exe"
            Content-Disposition: attachment; filename="invoice.exe"

            AAAA
            --b--
            """;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ScanResult scan(String multimapConf, Envelope env) throws Exception {
        Files.createDirectories(dir.resolve("local.d/maps"));
        Files.writeString(dir.resolve("local.d/multimap.conf"), multimapConf);
        engine = EngineFactory.create(ConfigDirectory.open(dir), List.of());
        return engine.scan(MESSAGE.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), env);
    }

    private static Envelope env() {
        return Envelope.builder().clientIp("198.51.100.7").helo("mail.sender.example").clientHostname("mail.sender.example")
                .mailFrom("alice@sender.example").addRcpt("bob@example.org").build();
    }

    private static SymbolResult symbol(ScanResult r, String name) {
        return r.symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private void map(String name, String content) throws Exception {
        Files.createDirectories(dir.resolve("local.d/maps"));
        Files.writeString(dir.resolve("local.d/maps/" + name), content);
    }

    @Test
    void senderInAMapFileScoresTheRuleSymbol() throws Exception {
        map("bad_senders.map", "# senders we never want\nalice@sender.example\nother@x.example # trailing comment\n");
        ScanResult r = scan("""
                BAD_SENDER {
                  type = "from";
                  map = "${LOCAL_CONFDIR}/local.d/maps/bad_senders.map";
                  score = 7.5;
                  description = "Blocked sender";
                }
                """, env());
        assertThat(symbol(r, "BAD_SENDER")).isNotNull();
        assertThat(symbol(r, "BAD_SENDER").score()).isEqualTo(7.5);
        assertThat(symbol(r, "BAD_SENDER").options()).containsExactly("alice@sender.example");
    }

    @Test
    void fromWithoutFilterAlsoMatchesTheDomainAndFilterEmailDomainOnlyTheDomain() throws Exception {
        ScanResult r = scan("""
                DOMAIN_ANY { type = "from"; map = ["sender.example"]; score = 1; }
                DOMAIN_ONLY { type = "from"; filter = "email:domain"; map = ["SENDER.example"]; score = 2; }
                USER_ONLY { type = "from"; filter = "email:user"; map = ["alice"]; score = 3; }
                MIME_FROM { type = "from"; extract_from = "mime"; filter = "email:addr"; map = ["alice@sender.example"]; score = 1; }
                """, env());
        assertThat(r.symbols()).extracting(SymbolResult::name)
                .contains("DOMAIN_ANY", "DOMAIN_ONLY", "USER_ONLY", "MIME_FROM");
    }

    @Test
    void ipMapsMatchNetworksIpv4AndIpv6() throws Exception {
        map("nets.map", "10.0.0.0/8\n198.51.100.0/24 NET_HIT:2\n2001:db8::/32\n");
        ScanResult v4 = scan("""
                NETS { type = "ip"; map = "file://${LOCAL_CONFDIR}/local.d/maps/nets.map"; score = 1.5; symbols = ["NET_HIT"]; }
                """, env());
        assertThat(symbol(v4, "NET_HIT").score()).isEqualTo(3.0);
        engine.close();
        ScanResult v6 = scan(Files.readString(dir.resolve("local.d/multimap.conf")),
                Envelope.builder().clientIp("2001:db8:1::5").build());
        assertThat(symbol(v6, "NETS").score()).isEqualTo(1.5);
        engine.close();
        ScanResult none = scan(Files.readString(dir.resolve("local.d/multimap.conf")),
                Envelope.builder().clientIp("192.0.2.1").build());
        assertThat(symbol(none, "NETS")).isNull();
    }

    @Test
    void headerRegexpAndGlobMapsWithValueSymbols() throws Exception {
        map("mailers.re", "/spamblaster\\s+\\d+/i MAILER_SPAM:4\n");
        ScanResult r = scan("""
                BAD_MAILER { type = "header"; header = "X-Mailer"; regexp = true; score = 1;
                  map = "${LOCAL_CONFDIR}/local.d/maps/mailers.re"; symbols = ["MAILER_SPAM"]; }
                SUBJ_GLOB { type = "header"; header = "Subject"; glob = true; map = ["*NUMBERS"]; score = 0.5; }
                """, env());
        assertThat(symbol(r, "MAILER_SPAM").score()).isEqualTo(4.0);
        assertThat(symbol(r, "SUBJ_GLOB")).isNotNull();
    }

    @Test
    void urlFiltersHostTldAndPath() throws Exception {
        ScanResult r = scan("""
                URL_HOST { type = "url"; map = ["www.shop.bad-domain.co.uk"]; score = 1; }
                URL_TLD { type = "url"; filter = "tld"; map = ["bad-domain.co.uk"]; score = 1; }
                URL_PATH { type = "url"; filter = "path"; regexp = true; map = ["/^path\\\\/x$/"]; score = 1; }
                URL_NONE { type = "url"; filter = "tld"; map = ["other.example"]; score = 1; }
                """, env());
        assertThat(r.symbols()).extracting(SymbolResult::name).contains("URL_HOST", "URL_TLD", "URL_PATH")
                .doesNotContain("URL_NONE");
    }

    @Test
    void filenameReceivedHeloHostnameRcptUserAndContent() throws Exception {
        ScanResult r = scan("""
                EXE { type = "filename"; filter = "extension"; map = ["exe", "scr"]; score = 4; }
                RCVD { type = "received"; map = ["198.51.100.0/24"]; score = 1; }
                RCVD_BY { type = "received"; filter = "by_hostname"; map = ["mx.example.org"]; score = 1; }
                HELO { type = "helo"; filter = "tld"; map = ["sender.example"]; score = 1; }
                HOST { type = "hostname"; map = ["mail.sender.example"]; score = 1; }
                RCPT { type = "rcpt"; filter = "email:domain"; map = ["example.org"]; score = 1; }
                USER { type = "user"; map = ["carol"]; score = 1; }
                BODY { type = "content"; filter = "body"; regexp = true; map = ["/invoice\\\\.exe/"]; score = 1; }
                """, env());
        assertThat(r.symbols()).extracting(SymbolResult::name)
                .contains("EXE", "RCVD", "RCVD_BY", "HELO", "HOST", "RCPT", "BODY").doesNotContain("USER");
        assertThat(symbol(r, "EXE").options()).containsExactly("exe");
    }

    @Test
    void prefilterRejectForcesTheActionWithItsMessageAndSkipsOtherRules() throws Exception {
        ScanResult r = scan("""
                BLOCK { type = "from"; prefilter = true; action = "reject"; message = "Go away";
                  map = ["alice@sender.example"]; }
                """, env());
        assertThat(r.action()).isEqualTo(Action.REJECT);
        assertThat(r.smtpMessage()).isEqualTo("Go away");
        assertThat(r.symbols()).extracting(SymbolResult::name).containsExactly("BLOCK");
    }

    @Test
    void prefilterSoftRejectAndAcceptWithRspamdsDefaultMessage() throws Exception {
        ScanResult soft = scan("""
                LATER { type = "ip"; prefilter = true; action = "soft reject"; map = ["198.51.100.7"]; }
                """, env());
        assertThat(soft.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(soft.smtpMessage()).isEqualTo("Matched map: LATER");
        engine.close();
        ScanResult accept = scan("""
                TRUSTED { type = "ip"; prefilter = true; action = "accept"; map = ["198.51.100.0/24"]; }
                BAD_SENDER { type = "from"; map = ["alice@sender.example"]; score = 20; }
                """, env());
        assertThat(accept.action()).isEqualTo(Action.NO_ACTION);
        assertThat(accept.symbols()).extracting(SymbolResult::name).containsExactly("TRUSTED");
    }

    @Test
    void badRegexpInTheConfigIsAnErrorWithFileAndLine() throws Exception {
        assertThatThrownBy(() -> scan("""
                OK { type = "from"; map = ["a@b"]; }
                BAD { type = "header"; header = "Subject"; filter = "regexp:/(a+/"; map = ["x"]; }
                """, env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("multimap.conf:2")
                .hasMessageContaining("bad regexp");
    }

    @Test
    void badLinesInAMapFileAreWarningsWithFileAndLineAndTheRestLoads() throws Exception {
        map("re.map", "/good/\n/(unclosed/\n/back(ref)\\1/\n");
        Files.writeString(dir.resolve("local.d/multimap.conf"), """
                SUBJ { type = "header"; header = "Subject"; regexp = true; score = 1;
                  map = "${LOCAL_CONFDIR}/local.d/maps/re.map"; }
                """);
        ConfigDirectory config = ConfigDirectory.open(dir);
        engine = EngineFactory.create(config, List.of());
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("re.map:2").contains("bad regexp"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("re.map:3"));
    }

    @Test
    void catastrophicBacktrackingPatternMatchesInLinearTime() throws Exception {
        String evil = "a".repeat(50_000) + "!";
        map("evil.map", "/^(a+)+$/\n");
        ScanResult r = scan("""
                EVIL { type = "header"; header = "X-Mailer"; regexp = true; score = 1;
                  map = "${LOCAL_CONFDIR}/local.d/maps/evil.map"; }
                """, env());
        assertThat(symbol(r, "EVIL")).isNull();
        // the same pattern on a hostile 50 KB value: RE2/J answers without backtracking
        MapData.Builder b = MapData.builder(MapData.Kind.REGEXP, false);
        b.add("/^(a+)+$/", null);
        assertThat(b.build().lookup(evil)).isEmpty();
    }

    @Test
    void missingMapFileIsAWarningAndTheRuleMatchesNothing() throws Exception {
        Files.createDirectories(dir.resolve("local.d"));
        Files.writeString(dir.resolve("local.d/multimap.conf"), """
                GONE { type = "from"; map = "/nonexistent/dir/senders.map"; score = 1; }
                """);
        ConfigDirectory config = ConfigDirectory.open(dir);
        engine = EngineFactory.create(config, List.of());
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("senders.map").contains("does not exist"));
        assertThat(engine.scan(MESSAGE.getBytes(StandardCharsets.UTF_8), env()).symbols())
                .extracting(SymbolResult::name).doesNotContain("GONE");
    }

    @Test
    void unknownTypeIsAnErrorAndUnsupportedTypeAWarning() throws Exception {
        assertThatThrownBy(() -> scan("X { type = \"nonsense\"; map = [\"a\"]; }", env()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown type");
        Files.writeString(dir.resolve("local.d/multimap.conf"), "ASN { type = \"asn\"; map = [\"1\"]; }");
        ConfigDirectory config = ConfigDirectory.open(dir);
        engine = EngineFactory.create(config, List.of());
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("asn").contains("not supported"));
    }

    @Test
    void selectorRulesMatchWhatTheSelectorGives() throws Exception {
        ScanResult r = scan("""
                SEL_DOMAIN { type = "selector"; selector = "from('smtp'):domain"; map = ["sender.example"]; score = 2; }
                SEL_SUBJECT { type = "selector"; selector = "header('Subject').lower"; filter = "regexp:/^(\\\\w+)/";
                  map = ["quarterly"]; score = 1; }
                SEL_MISS { type = "selector"; selector = "header('X-Missing')"; map = ["x"]; score = 1; }
                """, env());
        assertThat(symbol(r, "SEL_DOMAIN").score()).isEqualTo(2.0);
        assertThat(symbol(r, "SEL_SUBJECT").options()).containsExactly("quarterly");
        assertThat(symbol(r, "SEL_MISS")).isNull();
    }

    @Test
    void combinedRuleNeedsItsExpressionAndReportsEachMatchedElement() throws Exception {
        map("wl_ip.map", "198.51.100.0/24\n");
        String conf = """
                WHITELIST_IP_FROM {
                  type = "combined";
                  score = -3;
                  rules {
                    ip { selector = "ip"; map = "${LOCAL_CONFDIR}/local.d/maps/wl_ip.map"; }
                    from { selector = "from('smtp'):domain"; map = ["%s"]; }
                  }
                  expression = "ip & from";
                }
                """;
        ScanResult both = scan(conf.formatted("sender.example"), env());
        assertThat(symbol(both, "WHITELIST_IP_FROM").score()).isEqualTo(-3.0);
        assertThat(symbol(both, "WHITELIST_IP_FROM").options())
                .containsExactlyInAnyOrder("ip=198.51.100.7", "from=sender.example");
        engine.close();
        ScanResult onlyIp = scan(conf.formatted("elsewhere.example"), env());
        assertThat(symbol(onlyIp, "WHITELIST_IP_FROM")).isNull();
        engine.close();
        assertThatThrownBy(() -> scan(conf.formatted("x").replace("ip & from", "ip & nothere"), env()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nothere");
    }

    @Test
    void badSelectorIsAnErrorWithItsPosition() throws Exception {
        assertThatThrownBy(() -> scan("S { type = \"selector\"; selector = \"nosuchextractor\"; map = [\"a\"]; }", env()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multimap.conf:1");
    }

    @Test
    void symbolOptionsRulesMatchTheOptionsOfAnInsertedSymbol() throws Exception {
        ScanResult r = scan("""
                SENDER { type = "from"; map = ["alice@sender.example"]; score = 1; }
                SENDER_OPTION { type = "symbol_options"; target_symbol = "SENDER"; map = ["alice@sender.example"]; score = 2; }
                SENDER_OPTION_RE { type = "symbol_options"; target_symbol = "SENDER"; regexp = true;
                  map = ["/@sender\\\\.example$/"]; score = 1.5; }
                OTHER_OPTION { type = "symbol_options"; target_symbol = "SENDER"; map = ["nobody@x.example"]; score = 1; }
                NOT_INSERTED { type = "symbol_options"; target_symbol = "NO_SUCH_SYMBOL"; map = ["alice@sender.example"]; score = 1; }
                """, env());
        assertThat(symbol(r, "SENDER_OPTION").score()).isEqualTo(2.0);
        assertThat(symbol(r, "SENDER_OPTION").options()).containsExactly("alice@sender.example");
        assertThat(symbol(r, "SENDER_OPTION_RE").score()).isEqualTo(1.5);
        assertThat(symbol(r, "OTHER_OPTION")).isNull();
        assertThat(symbol(r, "NOT_INSERTED")).isNull();
    }

    @Test
    void aSymbolOptionsRuleNeedsItsTargetAndIsNoPrefilter() {
        assertThatThrownBy(() -> scan("O { type = \"symbol_options\"; map = [\"a\"]; }", env()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multimap.conf:1")
                .hasMessageContaining("needs target_symbol");
        assertThatThrownBy(() -> scan("O { type = \"symbol_options\"; target_symbol = \"X\"; prefilter = true; "
                + "action = \"reject\"; map = [\"a\"]; }", env()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be a prefilter");
    }
}
