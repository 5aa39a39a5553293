package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.DaemonProcess;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.testsupport.DnsmasqServer;
import org.mailsift.testsupport.FreePort;

/**
 * A fresh {@code mailsift run} process (its own JVM: nothing loaded, nothing compiled) whose very first scan is a
 * DKIM-signed message from a domain with SPF and DMARC records: the scan engine is built, with the Public Suffix List
 * and the crypto providers loaded, before the daemon listens, so that first scan gets its pass results within the
 * stock per-message DNS budget (1 s) -- not DNSFAIL / TEMPFAIL because loading them ate the budget.
 */
class ColdDaemonAuthenticationTest {
    @TempDir
    Path dir;

    @Test
    void theFirstScanOfAFreshDaemonGetsItsAuthenticationResultsWithinTheStockBudget() throws Exception {
        Assumptions.assumeTrue(DnsmasqServer.available(), "dnsmasq-base is not installed");
        KeyPair sender = DkimKeyFiles.generate("rsa", 2048);
        DnsmasqServer.Zones zones = DnsmasqServer.zones().zone("sender.test")
                .txt("sender.test", "v=spf1 ip4:203.0.113.0/24 -all")
                .txt("s1._domainkey.sender.test", DkimKeyFiles.txtValue(sender.getPublic()))
                .txt("_dmarc.sender.test", "v=DMARC1; p=reject");
        byte[] message = AuthenticationBehindPostfixTest.signed(AuthenticationBehindPostfixTest.INBOUND, sender);
        int controller = FreePort.onLoopback();
        int normal = FreePort.onLoopback();
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:" + FreePort.onLoopback() + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:" + normal + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:" + controller + "\";\n");
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "enabled = false;\n");
        try (DnsmasqServer dns = DnsmasqServer.start(zones)) {
            // the stock timeout and budget (1 s each): only the nameserver is ours (the DNS lists and hostname checks
            // stay on, as on a real server; dnsmasq knows nothing of their zones, which is not what is tested here)
            Files.writeString(etc.resolve("local.d/options.inc"), "dns { nameserver = [\"127.0.0.1:" + dns.port() + "\"]; }\n");
            try (DaemonProcess daemon = DaemonProcess.start(etc, dir.resolve("data"), dir.resolve("daemon.log"),
                    "-Dmailsift.log.level=INFO")) {
                // the workers answering, nothing else: no scan runs before the one the test makes
                daemon.awaitHttpOk(controller, "/ping");
                daemon.awaitHttpOk(normal, "/ping");
                assertThat(daemon.logText()).as("built before the daemon listened").contains("scan engine ready");

                HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + normal + "/checkv2"))
                        .header("IP", "203.0.113.7").header("Helo", "mail.sender.test").header("From", "carol@sender.test")
                        .header("Rcpt", "alice@example.test")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                assertThat(first.body()).as("the daemon's first scan")
                        .contains("\"R_DKIM_ALLOW\"", "\"R_SPF_ALLOW\"", "\"DMARC_POLICY_ALLOW\"")
                        .doesNotContain("R_SPF_DNSFAIL", "R_DKIM_TEMPFAIL", "DMARC_DNSFAIL", "ARC_DNSFAIL");
                assertThat(daemon.logText()).doesNotContain("did not finish within the DNS budget");
            }
        }
    }
}
