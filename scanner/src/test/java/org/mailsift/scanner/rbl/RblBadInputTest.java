package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.rbl.DnsListFixture.from;
import static org.mailsift.scanner.rbl.DnsListFixture.names;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.TestDnsServer;

/**
 * What the issue lists as bad input, each against the in-process DNS server: odd record types, huge answers, a list
 * zone that does not exist, SERVFAIL storms, IPv6 clients, a message whose every link is malformed. Each gives
 * symbols or nothing, never a false listing, and no rule failure.
 */
class RblBadInputTest {
    private static String html(String body) {
        return """
                From: Sender <a@sender.example.com>
                To: b@example.com
                Subject: offer
                Date: Sat, 21 Nov 2026 10:00:00 +0000
                Message-ID: <4@sender.example.com>
                MIME-Version: 1.0
                Content-Type: text/html; charset=utf-8

                """ + body + "\n";
    }

    private static final String PLAIN = html("<p>No links.</p>");

    @Test
    void oddRecordTypesInTheAnswerAreNotListings() {
        try (DnsListFixture f = new DnsListFixture("")) {
            // an AAAA, a TXT and an unknown type 99 record answering an A question, and a CNAME to nowhere
            f.dns.raw("10.2.0.192.zen.spamhaus.org", 28, new byte[16], 60);
            f.dns.raw("10.2.0.192.bl.score.senderscore.com", 16, new byte[] {3, 'x', 'y', 'z'}, 60);
            f.dns.raw("10.2.0.192.ix.dnsbl.manitu.net", 99, new byte[] {1, 2, 3}, 60);
            f.dns.cname("10.2.0.192.bl.blocklist.de", "nowhere.example.com");
            ScanResult r = f.scan(PLAIN, from("192.0.2.10"));
            assertThat(names(r)).noneMatch(n -> n.startsWith("RBL_") && !n.endsWith("_FAIL"))
                    .doesNotContain("BLOCKLISTDE", "RECEIVED_BLOCKLISTDE");
        }
    }

    @Test
    void aHugeAnswerIsReadAndBounded() {
        try (DnsListFixture f = new DnsListFixture("")) {
            String[] many = new String[200];
            for (int i = 0; i < many.length; i++) {
                many[i] = "127.0." + (i / 250) + "." + (i % 250 + 2);
            }
            many[0] = "127.0.0.2";
            f.dns.a("10.2.0.192.zen.spamhaus.org", many);
            ScanResult r = f.scan(PLAIN, from("192.0.2.10"));
            // either read whole (SBL among the rest) or refused as too big (a failure symbol): never a crash
            assertThat(names(r)).containsAnyOf("RBL_SPAMHAUS_SBL", "SPAMHAUS_FAIL");
            assertThat(r.symbols()).allMatch(s -> s.options().size() <= 300);
        }
    }

    @Test
    void aListZoneThatDoesNotExistListsNothingAndFailsNothing() {
        String list = "rbls { gone { rbl = \"bl.gone.example\"; checks = [\"from\", \"urls\"]; } }";
        try (DnsListFixture f = new DnsListFixture(list)) {
            ScanResult r = f.scan(html("<a href='http://www.example.com/'>x</a>"), from("192.0.2.10"));
            assertThat(f.dns.received()).contains("10.2.0.192.bl.gone.example A", "example.com.bl.gone.example A");
            assertThat(names(r)).noneMatch(n -> n.startsWith("GONE"));
        }
    }

    @Test
    void aServfailStormGivesFailSymbolsAndIsNotAskedAgainForEveryMessage() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.defaultBehaviour(TestDnsServer.Behaviour.SERVFAIL);
            ScanResult first = f.scan(html("<a href='http://www.example.com/'>x</a>"), from("192.0.2.10"));
            assertThat(names(first)).contains("SPAMHAUS_FAIL", "DBL_FAIL", "URIBL_MULTI_FAIL")
                    .noneMatch(n -> n.startsWith("RBL_") && !n.endsWith("_FAIL"));
            int afterFirst = f.dns.queries();
            for (int i = 0; i < 20; i++) {
                ScanResult r = f.scan(html("<a href='http://www.example.com/'>x</a>"), from("192.0.2.10"));
                assertThat(names(r)).contains("SPAMHAUS_FAIL");
            }
            // SERVFAIL answers are kept for a while (RFC 2308): the storm is not multiplied by the mail flow
            assertThat(f.dns.queries() - afterFirst).isLessThan(afterFirst);
        }
    }

    @Test
    void anIpv6ClientIsAskedOnlyOfListsThatTakeIpv6() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.scan(PLAIN, from("2001:db8::25"));
            String nibbles = "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
            assertThat(f.dns.received()).contains(nibbles + ".zen.spamhaus.org A", nibbles + ".list.dnswl.org A")
                    .doesNotContain(nibbles + ".bl.spameatingmonkey.net A");
        }
    }

    @Test
    void aMessageWhoseEveryLinkIsMalformedSaysSoAndAsksNoUrlList() {
        try (DnsListFixture f = new DnsListFixture("")) {
            ScanResult r = f.scan(html("""
                    <a href="http://">a</a> <a href="https://[::1">b</a> <a href="http://%zz%41/">c</a>
                    <a href="http://exa mple.com/">d</a> <a href="http://-.-/">e</a> <a href="https://.../x">f</a>
                    <a href="http://a..b/">g</a> <img src="http://\u0000/">"""), from("192.0.2.10"));
            assertThat(names(r)).contains("URL_MALFORMED");
            List<String> urlQueries = f.dns.received().stream()
                    .filter(q -> q.contains("dbl.spamhaus.org") || q.contains("multi.surbl.org") || q.contains("multi.uribl.com"))
                    .toList();
            assertThat(urlQueries).isEmpty();
        }
    }
}
