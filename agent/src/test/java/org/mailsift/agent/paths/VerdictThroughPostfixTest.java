package org.mailsift.agent.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.BindSocket;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.server.MilterServer;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * The milter path of {@link VerdictPathsTest} against the real MTA: a rewrite-subject verdict of the real engine, sent
 * through a real Postfix by our milter, is delivered exactly as core's applier writes it (Postfix's own trace headers
 * aside) -- one Subject, one X-Spam, the forged verdict headers and seal gone.
 */
class VerdictThroughPostfixTest {
    @TempDir
    Path dir;

    @Test
    void postfixHoldsTheMessageTheCoreApplierWrites() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("local.d/actions.conf"), "rewrite_subject = -1000;\nadd_header = null;\ngreylist = null;\n");
        byte[] raw = VerdictPathsTest.INCOMING.getBytes(StandardCharsets.US_ASCII);
        ScanResult verdict;
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"))) {
            verdict = context.scanner(ScanListener.ScanSource.CLI).scan(raw, Envelope.EMPTY);
        }
        assertThat(verdict.action()).isEqualTo(Action.REWRITE_SUBJECT);
        String expected = new String(HeaderRewriter.apply(raw, verdict.headerChanges()), StandardCharsets.US_ASCII)
                .replace("\r\n", "\n");

        ScanResult fixed = verdict;
        MilterServer milter = new MilterServer(MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0))),
                (message, envelope) -> fixed, new Metrics());
        try {
            int port = ((InetSocketAddress) milter.start().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port))) {
                try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
                    assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), raw).code()).isEqualTo(250);
                }
                Path file = postfix.awaitDelivered("alice", 1, Duration.ofSeconds(20)).get(0);
                assertThat(withoutPostfixTrace(Files.readString(file, StandardCharsets.US_ASCII))).isEqualTo(expected);
            }
        } finally {
            milter.close();
        }
    }

    /** The delivered file without what Postfix itself adds on top: Return-Path, Delivered-To and its Received. */
    static String withoutPostfixTrace(String delivered) {
        List<String> lines = new ArrayList<>(List.of(delivered.split("\n", -1)));
        boolean removedOwnReceived = false;
        while (!lines.isEmpty()) {
            String l = lines.get(0);
            boolean trace = l.startsWith("Return-Path:") || l.startsWith("Delivered-To:") || l.startsWith("X-Original-To:");
            if (!trace && l.startsWith("Received:") && !removedOwnReceived) {
                removedOwnReceived = true;
                trace = true;
            }
            if (!trace) {
                break;
            }
            lines.remove(0);
            while (!lines.isEmpty() && (lines.get(0).startsWith(" ") || lines.get(0).startsWith("\t"))) {
                lines.remove(0);
            }
        }
        return String.join("\n", lines);
    }
}
