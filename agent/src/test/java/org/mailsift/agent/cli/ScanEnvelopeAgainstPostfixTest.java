package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.agent.daemon.MilterService;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * `mailsift scan` with rspamc's envelope options gives the verdict the milter gave behind a real Postfix: the same
 * message bytes the milter saw, scanned with the envelope the SMTP client presented (set through Postfix's XCLIENT,
 * so the client address is not loopback), print exactly what the milter's result prints.
 */
class ScanEnvelopeAgainstPostfixTest {
    private static final String MESSAGE = "From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>, bob@example.test\r\n"
            + "Subject: FREE offer: lunch on friday!!!\r\nMessage-ID: <envelope.check@sender.test>\r\n"
            + "Date: Sat, 21 Nov 2026 20:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n"
            + "<html><body><p>Hi Alice, lunch on Friday at noon? <a href=\"http://198.51.100.7/menu\">menu</a></p></body></html>\r\n";

    record Seen(Envelope envelope, byte[] raw, ScanResult result) {
    }

    @TempDir
    Path dir;

    @Test
    void aFileScannedWithTheMiltersEnvelopeGetsTheMiltersSymbolsAndScore() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            context.addScanListener((source, envelope, raw, result) -> {
                if (source == ScanListener.ScanSource.MILTER) {
                    seen.add(new Seen(envelope, raw, result));
                }
            });
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8"))) {
                send(postfix, "XCLIENT ADDR=203.0.113.7 NAME=mail.sender.test HELO=mail.sender.test",
                        "bounces+carol@lists.sender.test");
                send(postfix, "XCLIENT ADDR=203.0.113.8 NAME=[UNAVAILABLE] HELO=laptop LOGIN=carol", "carol@sender.test");
                await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
            }
        }

        Seen inbound = seen.get(0);
        assertThat(inbound.envelope().clientIp()).isEqualTo("203.0.113.7");
        String viaCli = scan(inbound.raw(), "--ip", "203.0.113.7", "--helo", "mail.sender.test", "--hostname",
                "mail.sender.test", "--from", "<bounces+carol@lists.sender.test>", "--rcpt", "alice@example.test",
                "--rcpt", "bob@example.test");
        assertThat(withoutTiming(viaCli)).isEqualTo(withoutTiming(printed(inbound.result())));
        assertThat(viaCli).contains("FROM_NEQ_ENVFROM");

        Seen outbound = seen.get(1);
        assertThat(outbound.envelope().authUser()).isEqualTo("carol");
        String authenticated = scan(outbound.raw(), "-i", "203.0.113.8", "--helo", "laptop", "-F", "carol@sender.test",
                "-r", "alice@example.test,bob@example.test", "-u", "carol");
        assertThat(withoutTiming(authenticated)).isEqualTo(withoutTiming(printed(outbound.result())));

        // without the envelope the same bytes get another verdict: the options are what makes the two agree
        assertThat(withoutTiming(scan(inbound.raw()))).isNotEqualTo(withoutTiming(printed(inbound.result())));
    }

    private static void send(PostfixServer postfix, String xclient, String from) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command(xclient).code()).isEqualTo(220);
            assertThat(smtp.command("EHLO relay.test").code()).isEqualTo(250);
            assertThat(smtp.send(from, List.of("alice@example.test", "bob@example.test"),
                    MESSAGE.getBytes(StandardCharsets.US_ASCII)).code()).isEqualTo(250);
        }
    }

    private String scan(byte[] raw, String... envelope) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "seen", ".eml"), raw);
        List<String> args = new ArrayList<>(List.of("scan", "-c", dir.resolve("etc").toString(), "--dbdir",
                dir.resolve("cli-db").toString()));
        args.addAll(List.of(envelope));
        args.add(file.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String printed(ScanResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScanCommand.printText(new PrintStream(out, true, StandardCharsets.UTF_8), "milter", result);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Everything but the first line (file name and scan time). */
    private static String withoutTiming(String printed) {
        return printed.substring(printed.indexOf('\n') + 1);
    }
}
