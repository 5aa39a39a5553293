package org.mailsift.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.dns.DnsStatus;
import org.mailsift.testsupport.TestDnsServer;

class NettyDnsResolverTest {
    private TestDnsServer dns;
    private NettyDnsResolver resolver;

    @BeforeEach
    void start() {
        NameserverHealth.forgetAll();
        dns = TestDnsServer.start();
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
        NameserverHealth.forgetAll();
    }

    private DnsAnswer ask(String name, DnsRecordType type) {
        return resolver.query(name, type, Instant.now().plusSeconds(5)).join();
    }

    @Test
    void answersEveryRecordTypeMailChecksUse() {
        dns.a("2.0.0.127.zen.spamhaus.org", "127.0.0.2", "127.0.0.4")
                .aaaa("v6.example.org", "2001:db8::1")
                .txt("example.org", "v=spf1 " + "ip4:192.0.2.1 ".repeat(30) + "-all")
                .mx("example.org", 20, "mx2.example.org").mx("example.org", 10, "MX1.example.org.")
                .ptr("1.2.0.192.in-addr.arpa", "mail.example.org");

        assertThat(ask("2.0.0.127.zen.spamhaus.org", DnsRecordType.A).records()).containsExactly("127.0.0.2", "127.0.0.4");
        assertThat(ask("v6.example.org", DnsRecordType.AAAA).records()).containsExactly("2001:db8:0:0:0:0:0:1");
        DnsAnswer txt = ask("example.org", DnsRecordType.TXT);
        assertThat(txt.records()).hasSize(1);
        assertThat(txt.records().get(0)).startsWith("v=spf1 ip4:192.0.2.1 ip4:").endsWith(" -all").hasSizeGreaterThan(255);
        assertThat(ask("example.org", DnsRecordType.MX).mxHosts()).containsExactly("mx1.example.org", "mx2.example.org");
        assertThat(ask("1.2.0.192.in-addr.arpa.", DnsRecordType.PTR).records()).containsExactly("mail.example.org");
    }

    @Test
    void negativeAnswersAreNotFailures() {
        dns.a("listed.example", "127.0.0.2");
        DnsAnswer nx = ask("unlisted.example", DnsRecordType.A);
        assertThat(nx.status()).isEqualTo(DnsStatus.NXDOMAIN);
        assertThat(nx.status().isTemporary()).isFalse();
        assertThat(ask("listed.example", DnsRecordType.TXT).status()).isEqualTo(DnsStatus.NODATA);
    }

    @Test
    void answersAreCachedByTtlAndIdenticalLookupsShareOneQuery() {
        dns.a("cached.example", "127.0.0.2");
        List<DnsAnswer> parallel = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> resolver.query("cached.example", DnsRecordType.A, Instant.now().plusSeconds(5)))
                .toList().stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertThat(parallel).allMatch(a -> a.records().equals(List.of("127.0.0.2")));
        ask("cached.example", DnsRecordType.A);
        ask("nothing.example", DnsRecordType.A);
        ask("nothing.example", DnsRecordType.A);
        assertThat(dns.queries()).isEqualTo(2);
    }

    @Test
    void aLabelAskedInZonesGetsTheAnswersOfTheNamesAndEachNameIsSentOnce() {
        dns.a("2.0.0.127.zen.example", "127.0.0.2").a("2.0.0.127.bl.example", "127.0.0.4");
        Instant deadline = Instant.now().plusSeconds(5);
        for (int round = 0; round < 3; round++) {
            // the label and zones built anew each time, as each message builds them
            String label = new StringBuilder("2.0.0.").append("127").toString();
            assertThat(resolver.query(label, "zen.example", DnsRecordType.A, deadline).join().records()).containsExactly("127.0.0.2");
            assertThat(resolver.query(label, "bl.example", DnsRecordType.A, deadline).join().records()).containsExactly("127.0.0.4");
            assertThat(resolver.query(label, "none.example", DnsRecordType.A, deadline).join().status()).isEqualTo(DnsStatus.NXDOMAIN);
            assertThat(resolver.query(label, "zen.example", DnsRecordType.TXT, deadline).join().status()).isEqualTo(DnsStatus.NODATA);
        }
        // the plain names share those answers, and a name in another form is the same name
        assertThat(ask("2.0.0.127.zen.example", DnsRecordType.A).records()).containsExactly("127.0.0.2");
        assertThat(resolver.query("2.0.0.127", "BL.Example.", DnsRecordType.A, deadline).join().records()).containsExactly("127.0.0.4");
        assertThat(dns.queries()).isEqualTo(4);
        // an invalid name is refused as the plain name is, never sent
        assertThat(resolver.query("", "zen.example", DnsRecordType.A, deadline).join().status()).isEqualTo(DnsStatus.ERROR);
        assertThat(resolver.query("a".repeat(64), "zen.example", DnsRecordType.A, deadline).join().status()).isEqualTo(DnsStatus.ERROR);
        assertThat(dns.queries()).isEqualTo(4);
    }

    @Test
    void serverFailuresAreTemporaryAndKeptBriefly() {
        dns.behaviour("broken.example", TestDnsServer.Behaviour.SERVFAIL)
                .behaviour("refused.example", TestDnsServer.Behaviour.REFUSED);
        assertThat(ask("broken.example", DnsRecordType.A).status()).isEqualTo(DnsStatus.SERVFAIL);
        assertThat(ask("refused.example", DnsRecordType.A).status()).isEqualTo(DnsStatus.REFUSED);
        // a busy server does not send a broken name's query again for every message (RFC 2308 section 7.1)
        DnsAnswer again = ask("broken.example", DnsRecordType.A);
        assertThat(again.status()).isEqualTo(DnsStatus.SERVFAIL);
        assertThat(again.status().isTemporary()).isTrue();
        assertThat(again.ttl()).isEqualTo(30);
        assertThat(ask("refused.example", DnsRecordType.A).status()).isEqualTo(DnsStatus.REFUSED);
        assertThat(dns.queries()).isEqualTo(2);
    }

    @Test
    void aSilentNameserverEndsEachLookupByTheDeadlineThenFailsFast() {
        dns.defaultBehaviour(TestDnsServer.Behaviour.SILENT);
        // the deadline ends a lookup the nameserver timeout (60 s here) would still wait for; the 30 s bound only tells
        // "ended by the deadline" from "waited for the timeout", so a loaded machine cannot fail it
        try (NettyDnsResolver patient = new NettyDnsResolver(new DnsSettings(true,
                DnsSettings.parseNameservers(dns.address()), Duration.ofSeconds(60), 2, DnsSettings.DEFAULTS.budget(),
                DnsSettings.DEFAULTS.cacheSize(), DnsSettings.DEFAULTS.maxErrors(), DnsSettings.DEFAULTS.reviveTime()), null)) {
            DnsAnswer a = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> patient.query("slow.example", DnsRecordType.A, Instant.now().plusMillis(300)).join());
            assertThat(a.status()).isEqualTo(DnsStatus.TIMEOUT);
        }

        // the whole lookup (3 tries) ends within the configured timeout even with a generous deadline
        List<DnsAnswer> more = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> resolver.query("slow" + i + ".example", DnsRecordType.A, Instant.now().plusSeconds(10)))
                .toList().stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertThat(more).allMatch(x -> x.status().isTemporary());

        // now the server counts as down: lookups fail at once instead of waiting
        int asked = dns.queries();
        assertThat(resolver.query("later.example", DnsRecordType.A, Instant.now().plusSeconds(10)).join().status())
                .isEqualTo(DnsStatus.UNAVAILABLE);
        assertThat(dns.queries()).as("no query sent to a server that counts as down").isEqualTo(asked);
    }

    @Test
    void badNamesAndRecordsGiveStatusesNotExceptions() {
        assertThat(ask("a..b", DnsRecordType.A).status()).isEqualTo(DnsStatus.ERROR);
        assertThat(ask("x".repeat(64) + ".example", DnsRecordType.A).status()).isEqualTo(DnsStatus.ERROR);
        assertThat(ask("bücher.example", DnsRecordType.A).status()).isEqualTo(DnsStatus.ERROR);
        // an A record with 3 bytes of data and a record of an odd type (HINFO) answering an A question
        dns.raw("odd.example", 1, new byte[] {127, 0, 0}, 60).raw("odd.example", 13, new byte[] {1, 'x', 1, 'y'}, 60);
        assertThat(ask("odd.example", DnsRecordType.A).status()).isEqualTo(DnsStatus.NODATA);
        // a huge answer
        for (int i = 0; i < 200; i++) {
            dns.a("big.example", "127.0." + (i / 250) + "." + (i % 250));
        }
        assertThat(ask("big.example", DnsRecordType.A).records()).hasSizeBetween(1, AnswerDecoder.MAX_RECORDS);
    }

    @Test
    void withoutNameserversEveryLookupIsUnavailable() {
        try (NettyDnsResolver none = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(List.of()), null)) {
            // DEFAULTS without servers reads /etc/resolv.conf; only check that an answer always comes
            assertThat(none.query("example.org", DnsRecordType.A, Instant.now().plusMillis(200)).join()).isNotNull();
        }
    }
}
