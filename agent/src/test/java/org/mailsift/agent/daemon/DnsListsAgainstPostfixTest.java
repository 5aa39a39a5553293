package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.testsupport.DnsmasqServer;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * End to end: a real Postfix hands mail to the daemon's milter, whose DNS lists ask a real authoritative server
 * (Debian's dnsmasq on loopback) serving the lists' zones with the operators' test points. The SMTP clients'
 * addresses are set with XCLIENT, so they are not loopback (local senders skip the IP lists).
 */
class DnsListsAgainstPostfixTest {
    private static final String[] LIST_ZONES = {"zen.spamhaus.org", "dbl.spamhaus.org", "multi.surbl.org",
            "multi.uribl.com", "list.dnswl.org", "rep.mailspike.net", "bl.score.senderscore.com", "bl.spameatingmonkey.net",
            "bl.ipv6.spameatingmonkey.net", "bip.virusfree.cz", "ix.dnsbl.manitu.net", "bl.blocklist.de", "dwl.dnswl.org",
            "ebl.msbl.org", "uribl.spameatingmonkey.net", "fresh15.spameatingmonkey.net", "in-addr.arpa"};

    @TempDir
    Path dir;

    private static String message(String id, String contentType, String body) {
        return "From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: news " + id + "\r\n"
                + "Message-ID: <" + id + "@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "; charset=utf-8\r\n\r\n" + body + "\r\n";
    }

    @Test
    void listedSendersAndLinksAreFlaggedAndAllowListedSendersScoreLower() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available() && DnsmasqServer.available(), "needs root, Postfix and dnsmasq");
        DnsmasqServer.Zones zones = DnsmasqServer.zones();
        for (String z : LIST_ZONES) {
            zones.zone(z);
        }
        zones.zone("sender.test").a("mail.sender.test", "203.0.113.7").mx("sender.test", "mail.sender.test", 10)
                // ZEN: 203.0.113.7 as the SBL test point answers; DNSWL: 203.0.113.9 "high trust"
                .a("7.113.0.203.zen.spamhaus.org", "127.0.0.2")
                .a("9.113.0.203.list.dnswl.org", "127.0.10.3")
                .a("dbltest.com.dbl.spamhaus.org", "127.0.1.2")
                .a("test.uribl.com.multi.uribl.com", "127.0.0.2")
                .a("test.surbl.org.multi.surbl.org", "127.0.0.8");
        Path etc = StockConfiguration.copyStock(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        // the lists' verdicts on first delivery, not greylisting (GreylistThroughPostfixTest)
        Files.writeString(etc.resolve("local.d/greylist.conf"), "enabled = false;\n");
        Map<String, ScanResult> byId;
        try (DnsmasqServer dns = DnsmasqServer.start(zones)) {
            Files.writeString(etc.resolve("local.d/options.inc"), "dns { nameserver = [\"" + dns.address() + "\"]; }\n");
            try (MilterBehindPostfix daemon = MilterBehindPostfix.start(etc, dir.resolve("db"))) {
                byId = daemon.byId;
                PostfixServer postfix = daemon.postfix;
                String plain = "Hello Alice, the minutes of Friday's meeting are attached below.";
                assertThat(send(postfix, "203.0.113.7", message("listed-ip", "text/plain", plain)).code()).isEqualTo(250);
                // links on DBL and URIBL, in HTML only: over the reject threshold
                SmtpClient.Reply rejected = send(postfix, "203.0.113.8", message("html-link", "text/html",
                        "<html><body><p>Spring sale <a href=\"http://www.dbltest.com/sale\">here</a> and "
                                + "<a href=\"https://promo.test.uribl.com/x\">there</a></p></body></html>"));
                assertThat(rejected.code()).as(rejected.toString()).isEqualTo(554);
                assertThat(send(postfix, "203.0.113.9", message("allow-listed", "text/plain", plain)).code()).isEqualTo(250);
                assertThat(send(postfix, "203.0.113.10", message("unlisted", "text/plain", plain)).code()).isEqualTo(250);
                await().atMost(Duration.ofSeconds(30)).until(() -> byId.size() == 4);
                List<Path> delivered = postfix.awaitDelivered("alice", 3, Duration.ofSeconds(30));
                String all = String.join("\n", delivered.stream().map(DnsListsAgainstPostfixTest::read).toList());
                assertThat(all).contains("RBL_SPAMHAUS_SBL(4.00)").contains("RCVD_IN_DNSWL_HI(-0.50)");
            }
            assertThat(dns.log()).contains("7.113.0.203.zen.spamhaus.org", "dbltest.com.dbl.spamhaus.org");
        }
        assertThat(names(byId.get("listed-ip@sender.test"))).contains("RBL_SPAMHAUS_SBL");
        assertThat(names(byId.get("html-link@sender.test"))).contains("DBL_SPAM", "URIBL_BLACK");
        assertThat(names(byId.get("allow-listed@sender.test"))).contains("RCVD_IN_DNSWL_HI");
        assertThat(byId.get("allow-listed@sender.test").score()).isLessThan(byId.get("unlisted@sender.test").score());
        assertThat(names(byId.get("unlisted@sender.test"))).noneMatch(n -> n.startsWith("RBL_") || n.endsWith("_FAIL"));
    }

    private static List<String> names(ScanResult r) {
        return r.symbols().stream().map(SymbolResult::name).toList();
    }

    private static SmtpClient.Reply send(PostfixServer postfix, String ip, String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command("XCLIENT ADDR=" + ip + " NAME=mail.sender.test HELO=mail.sender.test").code()).isEqualTo(220);
            assertThat(smtp.command("EHLO mail.sender.test").code()).isEqualTo(250);
            return smtp.send("carol@sender.test", List.of("alice@example.test"), message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
