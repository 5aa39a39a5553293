package org.mailsift.scanner.hfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.Fixtures;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.StandardRules;
import org.mailsift.testsupport.TestDnsServer;

class HostnameModuleTest {
    private static final byte[] MESSAGE = """
            From: a@sender.example.com\r
            To: b@example.com\r
            Subject: hi\r
            Message-ID: <1@sender.example.com>\r
            \r
            hello\r
            """.getBytes(StandardCharsets.UTF_8);

    private TestDnsServer dns;
    private NettyDnsResolver resolver;
    private ScanEngine engine;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start();
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
        List<Rule> rules = new ArrayList<>(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK));
        rules.add(new HostnameModule(HostnameSettings.STOCK));
        engine = new ScanEngine(rules, EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "scanner.test", resolver, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
    }

    private List<String> scan(Envelope env) {
        ScanResult r = engine.scan(MESSAGE, env);
        return r.symbols().stream().map(s -> s.name() + "=" + s.score()).toList();
    }

    private static Envelope.Builder env(String ip, String helo, String hostname, String from) {
        return Envelope.builder().clientIp(ip).helo(helo).clientHostname(hostname).mailFrom(from).addRcpt("b@example.com");
    }

    @Test
    void aWellConfiguredSenderGetsNoHostnameSymbols() {
        dns.a("mail.sender.example.com", "192.0.2.10").ptr("10.2.0.192.in-addr.arpa", "mail.sender.example.com")
                .mx("sender.example.com", 10, "mail.sender.example.com");
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", null, "a@sender.example.com").build()))
                .noneMatch(s -> s.startsWith("HFILTER_") || s.startsWith("RDNS_"));
    }

    @Test
    void bareAndLocalIpHelosAndShortNamesWithRspamdsWeights() {
        dns.ptr("10.2.0.192.in-addr.arpa", "mail.sender.example.com").a("mail.sender.example.com", "192.0.2.10")
                .a("sender.example.com", "192.0.2.10");
        assertThat(scan(env("192.0.2.10", "[93.184.216.34]", "mail.sender.example.com", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_BAREIP=3.0");
        assertThat(scan(env("192.0.2.10", "93-184-216-34", "mail.sender.example.com", "a@sender.example.com").build()))
                .as("a dashed address is a bare IP too").contains("HFILTER_HELO_BAREIP=3.0");
        assertThat(scan(env("192.0.2.10", "[192.168.1.1]", "mail.sender.example.com", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_BADIP=4.5");
        assertThat(scan(env("192.0.2.10", "[203.0.113.5]", "mail.sender.example.com", "a@sender.example.com").build()))
                .as("documentation addresses are bad HELOs").contains("HFILTER_HELO_BADIP=4.5");
        // a name without a dot is the HELO pattern of weight 5 (as in Rspamd), not a FQDN check
        assertThat(scan(env("192.0.2.10", "localhost", "mail.sender.example.com", "a@nodots").build()))
                .contains("HFILTER_HELO_5=3.0", "HFILTER_FROMHOST_NOT_FQDN=3.0").doesNotContain("HFILTER_HELO_NOT_FQDN=2.0");
        assertThat(scan(env("192.0.2.10", "mail_server.example", "mail.sender.example.com", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_NOT_FQDN=2.0");
    }

    @Test
    void dynamicLookingHelosAndHostNamesGetRspamdsWeightsTheHeavierOne() {
        dns.a("mail.sender.example.com", "192.0.2.10").a("sender.example.com", "192.0.2.10");
        // "dynamic" in the HELO: weight 5; a client name with "host-": weight 2 -> the HELO's
        assertThat(scan(env("192.0.2.10", "123-45.dynamic.isp.example.net", "host-7.isp.example.net", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_5=3.0").noneMatch(s -> s.startsWith("HFILTER_HOSTNAME_"));
        // a clean HELO, a pool-looking client name: weight 4
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "pool-96-1.isp.example.net", "a@sender.example.com").build()))
                .contains("HFILTER_HOSTNAME_4=2.5").noneMatch(s -> s.startsWith("HFILTER_HELO_"));
        // "customer" weighs 1 for both: the HELO's on a tie
        assertThat(scan(env("192.0.2.10", "customer-9.isp.example.net", "customer-9.isp.example.net", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_1=0.5").noneMatch(s -> s.startsWith("HFILTER_HOSTNAME_"));
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com", "a@sender.example.com").build()))
                .noneMatch(s -> s.matches("HFILTER_(HELO|HOSTNAME)_\\d.*"));
    }

    @Test
    void aHeloWithoutAddressGetsIpAAsInRspamd() {
        dns.a("mail.sender.example.com", "192.0.2.10").a("sender.example.com", "192.0.2.10");
        assertThat(scan(env("192.0.2.10", "ghost.example.com", "mail.sender.example.com", "a@sender.example.com").build()))
                .contains("HFILTER_HELO_IP_A=1.0", "HFILTER_HELO_NORES_A_OR_MX=0.3");
    }

    @Test
    void postmasterBouncesCountAsBounces() {
        dns.a("mail.sender.example.com", "192.0.2.10").a("sender.example.com", "192.0.2.10");
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com", "postmaster@sender.example.com")
                .addRcpt("c@example.com").build())).contains("HFILTER_RCPT_BOUNCEMOREONE=1.5").noneMatch(s -> s.startsWith("HFILTER_FROM_BOUNCE"));
    }

    @Test
    void namesThatResolveToNothing() {
        dns.ptr("10.2.0.192.in-addr.arpa", "mail.sender.example.com").a("mail.sender.example.com", "192.0.2.10")
                .mx("deadmx.example.com", 10, "nowhere.example.com");
        List<String> s = scan(env("192.0.2.10", "ghost.example.com", "mail.sender.example.com", "a@deadmx.example.com").build());
        assertThat(s).contains("HFILTER_HELO_NORES_A_OR_MX=0.3", "HFILTER_FROMHOST_NORESOLVE_MX=0.5");
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com", "a@ghost.example.com").build()))
                .contains("HFILTER_FROMHOST_NORES_A_OR_MX=1.5");
    }

    @Test
    void reverseDnsMustBeForwardConfirmed() {
        dns.ptr("10.2.0.192.in-addr.arpa", "liar.example.com").a("liar.example.com", "198.51.100.1").a("sender.example.com", "192.0.2.10");
        assertThat(scan(env("192.0.2.10", "sender.example.com", null, "a@sender.example.com").build()))
                .contains("HFILTER_HOSTNAME_UNKNOWN=2.5", "RDNS_NONE=1.0");
        assertThat(scan(env("192.0.2.11", "sender.example.com", null, "a@sender.example.com").build()))
                .contains("HFILTER_HOSTNAME_UNKNOWN=2.5", "RDNS_NONE=1.0");
        dns.behaviour("12.2.0.192.in-addr.arpa", TestDnsServer.Behaviour.SERVFAIL);
        assertThat(scan(env("192.0.2.12", "sender.example.com", null, "a@sender.example.com").build()))
                .contains("RDNS_DNSFAIL=0.0").noneMatch(x -> x.startsWith("HFILTER_HOSTNAME_UNKNOWN"));
    }

    @Test
    void bouncesToSeveralRecipients() {
        dns.ptr("10.2.0.192.in-addr.arpa", "mail.sender.example.com").a("mail.sender.example.com", "192.0.2.10");
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com", "").addRcpt("c@example.com").build()))
                .contains("HFILTER_FROM_BOUNCE=0.0", "HFILTER_RCPT_BOUNCEMOREONE=1.5");
    }

    @Test
    void localAndAuthenticatedSendersAreSkipped() {
        assertThat(scan(env("127.0.0.1", "localhost", null, "a@nodots").build())).noneMatch(s -> s.startsWith("HFILTER_") || s.startsWith("RDNS"));
        assertThat(scan(env("192.0.2.10", "localhost", null, "a@nodots").authUser("alice").build()))
                .noneMatch(s -> s.startsWith("HFILTER_") || s.startsWith("RDNS"));
        assertThat(dns.queries()).isZero();
    }

    @Test
    void aMessageThatIsOneLinkIsUrlOnlyAndOneLine() {
        dns.a("mail.sender.example.com", "192.0.2.10").a("sender.example.com", "192.0.2.10");
        byte[] link = ("From: a@sender.example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMessage-ID: <2@sender.example.com>\r\n\r\n"
                + "https://click.example.net/track?id=8f3a9b2c\r\n").getBytes(StandardCharsets.UTF_8);
        ScanResult r = engine.scan(link, env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com",
                "a@sender.example.com").build());
        // 43 of 45 characters (the line ends in CR LF) are the link: runtime score (43/45 - 0.8) x 5 of the weight 2.2
        assertThat(r.symbols()).filteredOn(x -> x.name().equals("HFILTER_URL_ONLY")).extracting(x -> x.score())
                .singleElement().satisfies(v -> assertThat(v).isCloseTo(2.2 * (43.0 / 45 - 0.8) * 5, org.assertj.core.api.Assertions.within(0.01)));
        assertThat(r.symbols()).extracting(x -> x.name() + "=" + x.score()).contains("HFILTER_URL_ONELINE=2.5");
        // the link checks run for local senders too, as in Rspamd (they come before its local/authenticated exit)
        assertThat(engine.scan(link, env("127.0.0.1", "localhost", null, "a@nodots").build()).symbols())
                .extracting(x -> x.name()).contains("HFILTER_URL_ONLY");
        assertThat(scan(env("192.0.2.10", "mail.sender.example.com", "mail.sender.example.com", "a@sender.example.com").build()))
                .noneMatch(x -> x.startsWith("HFILTER_URL"));
    }

    @Test
    void textWithALinkIsNotUrlOnly() {
        String body = "Hello Bob,\nthe minutes are at https://docs.example.net/minutes and the agenda follows.\nRegards\n";
        assertThat(LinkOnlyText.linkChars(body)).isEqualTo("https://docs.example.net/minutes".length());
        assertThat(LinkOnlyText.lineBreaks("a\r\nb\r\n")).isEqualTo(2);
    }

    @Test
    void linkCharactersAgreeWithThePlainDefinitionOnRandomTexts() {
        java.util.Random random = new java.util.Random(17);
        String[] pieces = {"http://", "HTTPS://", "Ftp://", "mailto:", "MAILTO:", "www.", "WwW.", "hxxp://", "x", "Z9",
            "\u00a0", "\u2003", "\u0130", "\u017f", "\u212a", " ", "\t", "\n", "\r\n", "\u001c", ".", "/", "h", "w"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(16); k >= 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            int plain = plainLinkChars(text);
            assertThat(LinkOnlyText.linkChars(text)).as(text).isEqualTo(plain);
            // with a share to reach: the same count when it is reached, else -1 (never a wrong verdict)
            for (double share : new double[] {0.5, 0.8}) {
                int bounded = LinkOnlyText.linkChars(text, share);
                boolean over = !text.isEmpty() && (double) plain / text.length() > share;
                assertThat(bounded).as(text + " " + share).isEqualTo(over ? plain : bounded == -1 ? -1 : plain);
                assertThat(bounded > 0 && (double) bounded / text.length() > share).as(text).isEqualTo(over);
            }
        }
    }

    /** The definition: words split at Character.isWhitespace, those starting with a link prefix in any case. */
    private static int plainLinkChars(String text) {
        int total = 0;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String word = text.substring(start, i);
            for (String prefix : List.of("http://", "https://", "ftp://", "mailto:", "www.")) {
                if (word.length() > 4 && word.length() > prefix.length() && word.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    total += word.length();
                    break;
                }
            }
            i = Math.max(i, start) + 1;
        }
        return total;
    }

    @Test
    void fqdnCheckAgreesWithRspamdsPattern() {
        List<String> names = new ArrayList<>(List.of("mail.example.com", "mail.example.com.", "a.bc", "a.b", "-a.bc",
                "a-.bc", "a.-b", "a.b-", "ab..", ".ab.cd", "ab.cd..", "localhost", "x.y.z.w", "a_b.example.com",
                "a." + "b".repeat(63), "a." + "b".repeat(64), "c".repeat(63) + ".de", "c".repeat(64) + ".de",
                "m\u00fcller.de", "xn--mller-kva.de", "1.2.3.4", "a..b.cd", "[1.2.3.4]"));
        java.util.Random random = new java.util.Random(13);
        String alphabet = "ab-.Z9_.";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        for (String name : names) {
            boolean expected = name.length() >= 4 && name.length() <= 253 && HostnameModule.FQDN.matcher(name).matches();
            assertThat(HostnameModule.isFqdn(name)).as(name).isEqualTo(expected);
        }
    }
}
