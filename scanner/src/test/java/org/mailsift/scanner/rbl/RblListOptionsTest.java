package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.scanner.rbl.DnsListFixture.from;
import static org.mailsift.scanner.rbl.DnsListFixture.names;
import static org.mailsift.scanner.rbl.DnsListFixture.score;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.maps.MapHttpServer;

/** The list options Rspamd's stock lists and admins' own lists rely on: hashes, resolve_ip, selectors, whitelist maps. */
class RblListOptionsTest {
    @TempDir
    Path dir;

    private static String text(String body) {
        return """
                From: Sender <a@sender.example.com>
                To: b@example.com
                Subject: contact us
                Date: Sat, 21 Nov 2026 10:00:00 +0000
                Message-ID: <3@sender.example.com>

                """ + body + "\n";
    }

    private static String sha1(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rspamdsBase32OfBlake2MatchesItsPublishedValue() {
        // the value Rspamd's own tools give for "abc" (docs/java-stack.md); the lists ask the first 32 characters
        assertThat(ListHash.of("abc", "blake2", "base32", 16)).isEqualTo("4fym49yuheu4yi7r");
        assertThat(ListHash.of("abc", "sha256", "hex", 0))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aListsChecksAreInOneOrderWhateverTheConfigurationsSoItsOptionsAreToo() {
        RblSettings settings = RblSettings.from(new org.mailsift.core.config.UclParser(java.util.Map.of()).parse(
                "rbls { mine { rbl = \"mine.example\"; checks = [\"urls\", \"dkim\", \"helo\", \"emails\", \"from\"]; } }",
                "rbl.conf", null), w -> { }, dir);
        assertThat(settings.lists().get(0).checks()).containsExactly(RblList.Check.FROM, RblList.Check.HELO,
                RblList.Check.URLS, RblList.Check.EMAILS, RblList.Check.DKIM);
    }

    @Test
    void msblEmailListIsAskedTheSha1OfTheAddressWithoutItsAliases() throws Exception {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.a(sha1("jdoe@gmail.com") + ".ebl.msbl.org", "127.0.0.2");
            f.dns.a(sha1("pay@fraud.example.com") + ".ebl.msbl.org", "127.0.1.3");
            ScanResult r = f.scan(text("Write to J.Doe+promo@googlemail.com or pay@fraud.example.com today."),
                    from("192.0.2.10"));
            assertThat(names(r)).contains("MSBL_EBL", "MSBL_EBL_GREY");
            assertThat(score(r, "MSBL_EBL")).isEqualTo(7.5);
            assertThat(r.symbols()).filteredOn(s -> s.name().equals("MSBL_EBL")).first()
                    .extracting(s -> s.options()).asList().containsExactly("jdoe@gmail.com:email");
        }
    }

    @Test
    void rspamdsEmailListIsAskedTheCutBase32Blake2OfUserDotDomain() {
        try (DnsListFixture f = new DnsListFixture("")) {
            f.dns.a(ListHash.of("seller.shop.example.com", "blake2", "base32", 32) + ".email.rspamd.com", "127.0.0.2");
            ScanResult r = f.scan(text("Contact seller@shop.example.com"), from("192.0.2.10"));
            assertThat(names(r)).contains("RSPAMD_EMAILBL");
            assertThat(f.dns.received()).allMatch(q -> !q.contains("email.rspamd.com")
                    || q.split("\\.")[0].length() == 32);
        }
    }

    @Test
    void resolveIpLooksUpTheAddressesOfTheLinkedHost() {
        String list = """
                rbls { zen_links { rbl = "zen.spamhaus.org"; checks = ["emails"]; resolve_ip = true;
                  returncodes { URIBL_SBL = "127.0.0.2"; } } }
                """;
        try (DnsListFixture f = new DnsListFixture(list)) {
            f.dns.a("shop.example.com", "192.0.2.55");
            f.dns.a("55.2.0.192.zen.spamhaus.org", "127.0.0.2");
            ScanResult r = f.scan(text("Orders: sales@shop.example.com"), from("192.0.2.10"));
            assertThat(names(r)).contains("URIBL_SBL");
            assertThat(r.symbols()).filteredOn(s -> s.name().equals("URIBL_SBL")).first()
                    .extracting(s -> s.options()).asList().containsExactly("192.0.2.55:shop.example.com:email");
            assertThat(f.dns.received()).doesNotContain("shop.example.com.zen.spamhaus.org A");
        }
    }

    @Test
    void aSelectorListLooksUpWhatTheSelectorReturns() {
        String list = """
                rbls { sender_domains { rbl = "senders.example.net"; selector = "from('mime'):domain";
                  hash = "md5"; returncodes { BAD_SENDER_DOMAIN = "127.0.0.2"; } } }
                """;
        try (DnsListFixture f = new DnsListFixture(list)) {
            f.dns.a(ListHash.of("sender.example.com", "md5", "hex", 0) + ".senders.example.net", "127.0.0.2");
            ScanResult r = f.scan(text("hello"), from("192.0.2.10"));
            assertThat(names(r)).contains("BAD_SENDER_DOMAIN");
            assertThat(r.symbols()).filteredOn(s -> s.name().equals("BAD_SENDER_DOMAIN")).first()
                    .extracting(s -> s.options()).asList().containsExactly("sender.example.com:selector");
        }
    }

    @Test
    void aWhitelistFileIsReadAgainWhenItChanges() throws Exception {
        Path map = dir.resolve("rbl-whitelist.map");
        Files.writeString(map, "# senders we trust\n192.0.2.10\n");
        String list = "rbls { zen { rbl = \"zen.spamhaus.org\"; from = true; whitelist = \"" + map + "\"; } }";
        try (DnsListFixture f = new DnsListFixture(list, Duration.ofSeconds(5), dir, Duration.ofMillis(50))) {
            f.scan(text("hi"), from("192.0.2.10"));
            assertThat(f.dns.received()).doesNotContain("10.2.0.192.zen.spamhaus.org A");
            Whitelist w = f.settings.lists().stream().filter(l -> l.name().equals("zen")).findFirst().orElseThrow().whitelist();
            Files.writeString(map, "198.51.100.0/24\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> w.reloads() > 0);
            f.scan(text("hi"), from("192.0.2.10"));
            assertThat(f.dns.received()).contains("10.2.0.192.zen.spamhaus.org A");
        }
    }

    @Test
    void urlWhitelistSparesLinkedDomainsTheUrlLists() {
        try (DnsListFixture f = new DnsListFixture("url_whitelist = [\"trusted.example.org\", \"example.net\"];")) {
            f.scan(text("See https://www.trusted.example.org/a and https://other.example.com/b"), from("192.0.2.10"));
            assertThat(f.dns.received()).noneMatch(q -> q.contains("trusted.example.org."))
                    .contains("example.com.dbl.spamhaus.org A");
        }
    }

    @Test
    void aWhitelistServedOverHttpIsFollowedWithoutRestart() throws Exception {
        try (MapHttpServer http = new MapHttpServer("192.0.2.10\n")) {
            String list = "rbls { zen { rbl = \"zen.spamhaus.org\"; from = true; whitelist = \"" + http.url("/wl.map") + "\"; } }";
            try (DnsListFixture f = new DnsListFixture(list, Duration.ofSeconds(5), dir, Duration.ofMillis(50))) {
                Whitelist w = f.settings.lists().stream().filter(l -> l.name().equals("zen")).findFirst().orElseThrow().whitelist();
                await().atMost(Duration.ofSeconds(30)).until(() -> w.containsIp(java.net.InetAddress.getByName("192.0.2.10")));
                f.scan(text("hi"), from("192.0.2.10"));
                assertThat(f.dns.received()).doesNotContain("10.2.0.192.zen.spamhaus.org A");
                http.publish("198.51.100.0/24\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> !w.containsIp(java.net.InetAddress.getByName("192.0.2.10")));
                f.scan(text("hi"), from("192.0.2.10"));
                assertThat(f.dns.received()).contains("10.2.0.192.zen.spamhaus.org A");
            }
        }
    }
}
