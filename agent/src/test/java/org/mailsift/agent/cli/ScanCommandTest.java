package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;

class ScanCommandTest {
    private static final String GTUBE = "From: t@example.org\nTo: v@example.com\nSubject: test\nMessage-ID: <g@example.org>\n\n"
            + "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n";
    private static final String HAM = "From: Alice <alice@example.org>\nTo: bob@example.com\nSubject: lunch\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 +0000\nMessage-ID: <lunch@example.org>\n\nSee you at noon.\n";

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * The stock configuration with its resolver pointed at a DNS server that knows no names: no network needed. The
     * budget only allows for a cold JVM's first scan; the answers come at once.
     */
    private Path etc() throws java.io.IOException {
        Path etc = tmp.resolve("etc");
        if (!Files.isDirectory(etc)) {
            org.mailsift.agent.StockConfiguration.copyTo(etc);
            Files.writeString(etc.resolve("local.d/options.inc"), "dns { nameserver = [\"" + dns.address() + "\"]; budget = 10s; }\n");
        }
        return etc;
    }

    private final org.mailsift.testsupport.TestDnsServer dns = org.mailsift.testsupport.TestDnsServer.start();

    @org.junit.jupiter.api.AfterEach
    void stopDns() {
        dns.close();
    }

    private int mailsift(String stdin, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = args[0];
        all[1] = "-c";
        try {
            all[2] = etc().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        all[3] = "--dbdir";
        all[4] = tmp.resolve("data").toString();
        System.arraycopy(args, 1, all, 5, args.length - 1);
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(all, io);
    }

    private Path folderWithTwoMessages() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mail"));
        Files.writeString(dir.resolve("b-gtube.eml"), GTUBE);
        Files.writeString(dir.resolve("a-ham.eml"), HAM);
        return dir;
    }

    @Test
    void aFolderIsScannedInFileNameOrderInRspamcsLayout() throws Exception {
        Path dir = folderWithTwoMessages();
        assertThat(mailsift("", "scan", dir.toString())).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.indexOf("a-ham.eml")).isLessThan(text.indexOf("b-gtube.eml"));
        assertThat(text).containsPattern("Results for file: .*b-gtube.eml \\(\\d+\\.\\d{3} seconds\\)\n\\[Metric: default\\]\n"
                + "Action: reject\nSpam: true\nScore: 15.00 / 15.00\nSymbol: GTUBE \\(0.00\\)\nMessage-ID: g@example.org\n"
                + "Message - smtp_message: Gtube pattern\n");
        assertThat(text).contains("Action: no action\nSpam: false\n", "Symbol: FROM_HAS_DN (0.00)\n",
                "Symbol: RCPT_COUNT_ONE (0.00)[1]\n");
    }

    @Test
    void jsonPrintsOneCheckV2DocumentPerLine() throws Exception {
        Path dir = folderWithTwoMessages();
        assertThat(mailsift("", "scan", "--json", dir.resolve("b-gtube.eml").toString(), dir.resolve("a-ham.eml").toString()))
                .isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{").contains("\"action\":\"reject\"", "\"GTUBE\"");
        assertThat(lines[1]).contains("\"action\":\"no action\"");
    }

    @Test
    void mimeFromStandardInputPrintsTheMessageWithTheHeaders() {
        assertThat(mailsift(HAM, "scan", "--mime", "-")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        // the authentication checks' header goes on top, as Rspamd's milter_headers puts it
        assertThat(text).startsWith("Authentication-Results: ").contains("\n\tdmarc=none\nFrom: Alice <alice@example.org>\n");
        assertThat(text).contains("\nX-Spamd-Result: default: False [");
        assertThat(text).endsWith("\n\nSee you at noon.\n");
    }

    @Test
    void unreadableInputFailsWithAMessageButScansTheRest() throws Exception {
        Path dir = folderWithTwoMessages();
        assertThat(mailsift("", "scan", tmp.resolve("missing.eml").toString(), dir.resolve("a-ham.eml").toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.eml: no such file");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("a-ham.eml");
    }
}
