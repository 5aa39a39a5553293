package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.scanner.auth.RawMessage;
import org.mailsift.scanner.auth.dkim.Canonicalization;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.scanner.auth.dkim.DkimSigner;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.scanner.auth.dkim.SignedHeaders;
import org.mailsift.testsupport.DnsmasqServer;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.PrivateDnsNamespace;
import org.mailsift.testsupport.SmtpClient;

/**
 * Postfix with the mailsift milter, whose resolver asks a local dnsmasq serving the sender's SPF, DKIM and DMARC
 * records: signed mail from outside is delivered with Authentication-Results saying pass for all three; mail
 * submitted by an authenticated user leaves with a DKIM-Signature that python3-dkim's dkimverify accepts.
 */
class AuthenticationBehindPostfixTest {
    static final String INBOUND = "From: Carol <carol@sender.test>\r\nTo: alice@example.test\r\nSubject: Minutes\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <minutes-1@sender.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain\r\n\r\nThe minutes of Tuesday's meeting.\r\n";
    static final String OUTBOUND = "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Re: Minutes\r\n"
            + "Date: Thu, 03 Dec 2026 10:05:00 +0000\r\nMessage-ID: <re-minutes-1@example.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain\r\n\r\nThanks, looks right.\r\n";

    @TempDir
    Path dir;

    @Test
    void inboundMailIsAuthenticatedAndSubmittedMailIsSigned() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Assumptions.assumeTrue(DnsmasqServer.available(), "dnsmasq-base is not installed");
        KeyPair sender = DkimKeyFiles.generate("rsa", 2048);
        KeyPair ours = DkimKeyFiles.generate("rsa", 2048);
        Map<String, String> zone = Map.of(
                "sender.test", "v=spf1 ip4:203.0.113.0/24 -all",
                "s1._domainkey.sender.test", DkimKeyFiles.txtValue(sender.getPublic()),
                "_dmarc.sender.test", "v=DMARC1; p=reject",
                "dkim._domainkey.example.test", DkimKeyFiles.txtValue(ours.getPublic()));
        DkimKeyFiles.write(dir.resolve("keys/example.test.dkim.key"), ours.getPrivate());

        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/dkim_signing.conf"),
                "path = \"" + dir.resolve("keys") + "/$domain.$selector.key\";\n");
        DnsmasqServer.Zones zones = DnsmasqServer.zones().zone("sender.test").zone("example.test");
        zone.forEach(zones::txt);
        try (DnsmasqServer dns = DnsmasqServer.start(zones)) {
            Files.writeString(etc.resolve("local.d/options.inc"),
                    "dns { nameserver = [\"127.0.0.1:" + dns.port() + "\"]; budget = 5s; timeout = 2s; }\n");
            try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
                 MilterService milter = new MilterService()) {
                milter.start(context);
                int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
                try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                        .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8").set("milter_command_timeout", "30s"))) {
                    send(postfix, "XCLIENT ADDR=203.0.113.7 NAME=mail.sender.test HELO=mail.sender.test",
                            "carol@sender.test", "alice@example.test", signed(INBOUND, sender));
                    String inbound = Files.readString(postfix.awaitDelivered("alice", 1, Duration.ofSeconds(30)).get(0),
                            StandardCharsets.ISO_8859_1);
                    String ar = RawMessage.parse(inbound.getBytes(StandardCharsets.ISO_8859_1))
                            .fields("Authentication-Results").get(0).text().replaceAll("\r?\n\t", " ");
                    assertThat(ar).contains("dkim=pass header.d=sender.test header.s=s1",
                            "spf=pass (", "domain of carol@sender.test designates 203.0.113.7 as permitted sender) smtp.mailfrom=carol@sender.test",
                            "dmarc=pass (policy=reject) header.from=sender.test");

                    send(postfix, "XCLIENT ADDR=203.0.113.8 NAME=[UNAVAILABLE] HELO=laptop LOGIN=alice@example.test",
                            "alice@example.test", "bob@example.test", OUTBOUND.getBytes(StandardCharsets.ISO_8859_1));
                    Path outbound = postfix.awaitDelivered("bob", 1, Duration.ofSeconds(30)).get(0);
                    assertThat(Files.readString(outbound, StandardCharsets.ISO_8859_1)).contains("DKIM-Signature: v=1;")
                            .contains("d=example.test");
                    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dkimverify")), "python3-dkim missing");
                    Assumptions.assumeTrue(PrivateDnsNamespace.available(), "no private namespaces here");
                    int rc = PrivateDnsNamespace.run(dir.resolve("ns"), zone, outbound, "/usr/bin/dkimverify");
                    assertThat(rc).as(Files.readString(dir.resolve("ns/ns-output.txt"))).isZero();
                }
            }
        }
    }

    static byte[] signed(String message, KeyPair key) throws Exception {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        String v = DkimSigner.sign(new HeaderHashInput(RawMessage.parse(raw)), "sender.test", "s1", key.getPrivate(),
                SignedHeaders.parse(SignedHeaders.RSPAMD_DEFAULT), Canonicalization.RELAXED, Canonicalization.SIMPLE,
                System.currentTimeMillis() / 1000, 0);
        return ("DKIM-Signature: " + v + "\r\n" + message).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void send(PostfixServer postfix, String xclient, String from, String to, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command(xclient).code()).isEqualTo(220);
            assertThat(smtp.command("EHLO relay.test").code()).isEqualTo(250);
            assertThat(smtp.send(from, List.of(to), message).code()).isEqualTo(250);
        }
    }
}
