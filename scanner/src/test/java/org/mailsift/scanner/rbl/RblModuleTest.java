package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.rbl.DnsListFixture.from;
import static org.mailsift.scanner.rbl.DnsListFixture.names;
import static org.mailsift.scanner.rbl.DnsListFixture.score;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.TestDnsServer;

/** The stock lists against the test points the list operators document, served by an in-process DNS server. */
class RblModuleTest {
    /** 127.0.0.x are loopback: Rspamd (and we) skip them unless told not to, so the test points need this. */
    private static final String TEST_POINTS = "default_exclude_private_ips = false; default_exclude_local = false;";

    private static final String PLAIN = """
            From: Sender <a@sender.example>
            To: b@example.com
            Subject: hello
            Date: Sat, 21 Nov 2026 10:00:00 +0000
            Message-ID: <1@sender.example>

            Just text, no links.
            """;

    private static String html(String body) {
        return """
                From: Sender <a@sender.example>
                To: b@example.com
                Subject: offer
                Date: Sat, 21 Nov 2026 10:00:00 +0000
                Message-ID: <2@sender.example>
                MIME-Version: 1.0
                Content-Type: text/html; charset=utf-8

                """ + body + "\n";
    }

    /** The documented test points, served as the lists answer them. */
    private static void testPoints(TestDnsServer dns) {
        dns.a("2.0.0.127.zen.spamhaus.org", "127.0.0.2", "127.0.0.4", "127.0.0.10");
        dns.a("dbltest.com.dbl.spamhaus.org", "127.0.1.2");
        dns.a("test.surbl.org.multi.surbl.org", "127.0.0.254");
        dns.a("test.uribl.com.multi.uribl.com", "127.0.0.14");
    }

    @Test
    void spamhausTestPointIsListedInEveryZenList() {
        try (DnsListFixture f = new DnsListFixture(TEST_POINTS)) {
            testPoints(f.dns);
            ScanResult r = f.scan(PLAIN, from("127.0.0.2"));
            assertThat(names(r)).contains("RBL_SPAMHAUS_SBL", "RBL_SPAMHAUS_XBL", "RBL_SPAMHAUS_PBL");
            assertThat(score(r, "RBL_SPAMHAUS_SBL")).isEqualTo(4.0);
            assertThat(score(r, "RBL_SPAMHAUS_XBL")).isEqualTo(4.0);
            assertThat(score(r, "RBL_SPAMHAUS_PBL")).isEqualTo(2.0);
            assertThat(r.symbols().stream().filter(s -> s.name().equals("RBL_SPAMHAUS_SBL")).findFirst().orElseThrow().options())
                    .containsExactly("127.0.0.2:from");
            assertThat(f.dns.received()).contains("2.0.0.127.zen.spamhaus.org A");
        }
    }

    @Test
    void oneTwentySevenDotOneIsListedNowhere() {
        try (DnsListFixture f = new DnsListFixture(TEST_POINTS)) {
            testPoints(f.dns);
            ScanResult r = f.scan(PLAIN, from("127.0.0.1"));
            assertThat(names(r)).noneMatch(n -> n.startsWith("RBL_") || n.startsWith("RCVD_IN") || n.endsWith("_FAIL"));
            assertThat(f.dns.received()).contains("1.0.0.127.zen.spamhaus.org A");
        }
    }

    @Test
    void urlListTestPointsAreListed() {
        try (DnsListFixture f = new DnsListFixture("")) {
            testPoints(f.dns);
            ScanResult r = f.scan(html("""
                    <p>Offers: <a href="http://www.dbltest.com/deal">deal</a>
                    <img src="https://img.test.surbl.org/pixel.gif">
                    <a href="https://sub.test.uribl.com/x?a=1">more</a></p>"""), from("192.0.2.10"));
            assertThat(names(r)).contains("DBL_SPAM", "PH_SURBL_MULTI", "MW_SURBL_MULTI", "ABUSE_SURBL", "CRACKED_SURBL",
                    "URIBL_BLACK", "URIBL_GREY", "URIBL_RED");
            assertThat(names(r)).doesNotContain("SURBL_BLOCKED", "URIBL_BLOCKED");
            assertThat(score(r, "DBL_SPAM")).isEqualTo(6.5);
            assertThat(f.dns.received()).contains("dbltest.com.dbl.spamhaus.org A", "test.surbl.org.multi.surbl.org A",
                    "test.uribl.com.multi.uribl.com A");
        }
    }

    @Test
    void allowListedSenderScoresLowerAndIsNotHeldAgainstIt() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.a("10.2.0.192.list.dnswl.org", "127.0.5.3"); // DNSWL "high trust"
            f.dns.a("10.2.0.192.bl.score.senderscore.com", "127.0.0.2");
            ScanResult r = f.scan(PLAIN, from("192.0.2.10"));
            assertThat(names(r)).contains("RCVD_IN_DNSWL_HI").doesNotContain("RBL_SENDERSCORE");
            assertThat(score(r, "RCVD_IN_DNSWL_HI")).isEqualTo(-0.5);
        }
    }

    @Test
    void aListThatRefusesOurResolverGivesBlockedNotAListingAndPauses() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.a("10.2.0.192.zen.spamhaus.org", "127.255.255.254");
            ScanResult r = f.scan(PLAIN, from("192.0.2.10"));
            assertThat(names(r)).contains("RBL_SPAMHAUS_BLOCKED_OPENRESOLVER")
                    .noneMatch(n -> n.matches("RBL_SPAMHAUS_(SBL|XBL|PBL|CSS|DROP)"));
            assertThat(r.score()).isLessThan(1.0);
            int before = f.dns.queries();
            f.scan(PLAIN, from("192.0.2.11"));
            assertThat(f.dns.received().subList(before, f.dns.queries())).noneMatch(q -> q.contains("zen.spamhaus.org"));
        }
    }

    @Test
    void aResolverThatNeverAnswersEndsTheScanWithinTheBudgetWithFailSymbols() {
        try (DnsListFixture f = new DnsListFixture("", Duration.ofMillis(500))) {
            f.dns.defaultBehaviour(TestDnsServer.Behaviour.SILENT);
            // no clock here (CI machines are loaded): the failure symbols show the lookups were ended by the budget;
            // DnsBudgetAgainstPostfixTest (agent) measures the latency the daemon records through Postfix
            ScanResult r = f.scan(html("<a href='http://a.example.com/'>x</a> <a href='http://b.example.net/'>y</a>"), from("192.0.2.10"));
            assertThat(names(r)).contains("SPAMHAUS_FAIL", "DBL_FAIL", "URIBL_MULTI_FAIL");
            assertThat(r.score()).isLessThan(1.0);
        }
    }

    @Test
    void serverFailuresAndOddAnswersGiveFailSymbolsOrNothingNeverListings() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.behaviour("10.2.0.192.zen.spamhaus.org", TestDnsServer.Behaviour.SERVFAIL);
            f.dns.raw("10.2.0.192.bl.score.senderscore.com", 16, new byte[] {3, 'a', 'b', 'c'}, 60); // TXT for an A question
            f.dns.a("10.2.0.192.ix.dnsbl.manitu.net", "10.0.0.1"); // outside 127/8: unknown code
            ScanResult r = f.scan(PLAIN, from("192.0.2.10"));
            assertThat(names(r)).contains("SPAMHAUS_FAIL").doesNotContain("RBL_SENDERSCORE");
            assertThat(names(r)).noneMatch(n -> n.startsWith("RBL_SPAMHAUS_"));
        }
    }

    @Test
    void ipv6ClientsAreQueriedByNibbles() {
        try (DnsListFixture f = new DnsListFixture("")) {
            String nibbles = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
            f.dns.a(nibbles + ".zen.spamhaus.org", "127.0.0.3");
            ScanResult r = f.scan(PLAIN, from("2001:db8::1"));
            assertThat(names(r)).contains("RBL_SPAMHAUS_CSS");
            assertThat(names(r)).doesNotContain("RBL_SEM_FAIL"); // sem is IPv4-only
        }
    }

    @Test
    void localAndAuthenticatedSendersSkipTheIpLists() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.scan(PLAIN, from("127.0.0.1"));
            f.scan(PLAIN, Envelope.builder().clientIp("192.0.2.10").authUser("alice").build());
            assertThat(f.dns.received()).noneMatch(q -> q.contains("zen.spamhaus.org") || q.contains("dnswl"));
        }
    }

    @Test
    void aMessageWithTenThousandLinksQueriesAtMostTheLimitAndSaysSo() {
        try (DnsListFixture f = new DnsListFixture("max_url_domains = 20;", Duration.ofSeconds(10))) {
            StringBuilder body = new StringBuilder("<p>");
            for (int i = 0; i < 10_000; i++) {
                body.append("<a href=\"http://host").append(i).append(".spam").append(i % 500).append(".com/\">x</a>\n");
            }
            ScanResult r = f.scan(html(body.toString()), from("192.0.2.10"));
            assertThat(names(r)).contains("URL_DOMAINS_LIMIT");
            long dblQueries = f.dns.received().stream().filter(q -> q.endsWith(".dbl.spamhaus.org A")).distinct().count();
            assertThat(dblQueries).as(String.join("\n", f.dns.received())).isLessThanOrEqualTo(40); // 20 domains + a subdomain each
        }
    }
}
