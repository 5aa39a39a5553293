package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * classifier-bayes {@code outbound_ham = true} with the shipped configuration, behind a real Postfix and from the real
 * rspamc ({@code -u USER}, Rspamd's User header): what a user who
 * logged in sends is learned as ham into their own statistics; strangers' mail and a logged-in user's spam are not.
 * The login is Postfix's XCLIENT LOGIN, which Postfix hands to the milter as {auth_authen} like a SASL login.
 */
class OutboundHamThroughPostfixTest {
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    Path dir;

    private static byte[] message(String id, String body) {
        return ("From: Carol <carol@example.test>\r\nTo: Dave <dave@elsewhere.test>\r\nSubject: the quarterly report\r\n"
                + "Message-ID: <" + id + "@example.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(PostfixServer postfix, String xclient, byte[] message, int expected) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "relay.test")) {
            assertThat(smtp.command(xclient).code()).isEqualTo(220);
            assertThat(smtp.command("EHLO laptop.example.test").code()).isEqualTo(250);
            assertThat(smtp.send("carol@example.test", List.of("alice@example.test"), message).code()).isEqualTo(expected);
        }
    }

    @Test
    void anAuthenticatedUsersCleanOutgoingMailIsLearnedAsHamIntoTheirStatistics() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("local.d/classifier-bayes.conf"), "outbound_ham = true;\nper_user = true;\n");
        List<String> scanned = new CopyOnWriteArrayList<>();
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             MilterService milter = new MilterService()) {
            context.addScanListener((source, envelope, raw, result) -> {
                if (source == ScanListener.ScanSource.MILTER) {
                    scanned.add(result.messageId());
                }
            });
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8"))) {
                String body = "Dave, attached are the figures for the quarterly report we discussed on Monday; "
                        + "the budget review moves to Thursday afternoon. Regards, Carol";
                send(postfix, "XCLIENT ADDR=203.0.113.20 NAME=[UNAVAILABLE] LOGIN=carol", message("report", body), 250);
                send(postfix, "XCLIENT ADDR=203.0.113.21 NAME=[UNAVAILABLE]", message("stranger", body + " from outside"), 250);
                send(postfix, "XCLIENT ADDR=203.0.113.20 NAME=[UNAVAILABLE] LOGIN=carol",
                        message("hijacked", "Buy now " + GTUBE + " " + body), 554);
                await().atMost(Duration.ofSeconds(20)).until(() -> scanned.size() == 3);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> context.learner().statistics().hamLearns() >= 1);
        } // closing waits for every pending autolearn
        try (AgentContext reopened = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"))) {
            LearnStatistics stats = reopened.learner().statistics();
            assertThat(stats.hamLearns()).isEqualTo(1);
            assertThat(stats.spamLearns()).isZero();
            assertThat(stats.perUser()).containsOnlyKeys("carol");
            assertThat(stats.perUser().get("carol")).containsExactly(0, 1);
        }
    }

    @Test
    void rspamcWithALoggedInUserIsOutgoingMailToo() throws Exception {
        Path rspamc = Path.of("/usr/bin/rspamc");
        Assumptions.assumeTrue(Files.isExecutable(rspamc), "rspamc not installed");
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("local.d/classifier-bayes.conf"), "outbound_ham = true;\n");
        Path file = Files.write(dir.resolve("report.eml"), message("report-http", "Dave, the figures for the quarterly "
                + "report are attached; the budget review moves to Thursday afternoon after the board meeting. Carol"));
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             ControllerService service = new ControllerService()) {
            service.start(context);
            int port = ((InetSocketAddress) service.server().normalAddresses().get(0)).getPort();
            for (String[] envelope : List.of(new String[] {"-i", "203.0.113.30"}, new String[] {"-i", "203.0.113.30", "-u", "carol"})) {
                List<String> cmd = new java.util.ArrayList<>(List.of(rspamc.toString(), "-h", "127.0.0.1:" + port));
                cmd.addAll(List.of(envelope));
                cmd.add(file.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(out).contains("Action: no action");
            }
        }
        try (AgentContext reopened = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"))) {
            assertThat(reopened.learner().statistics().hamLearns()).as("only the scan with -u carol").isEqualTo(1);
        }
    }
}
