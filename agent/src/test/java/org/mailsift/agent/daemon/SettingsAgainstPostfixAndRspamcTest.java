package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.testsupport.PostfixServer;
import org.mailsift.testsupport.SmtpClient;

/**
 * settings.conf with the real engine and the shipped configuration: a recipient with her own, lower thresholds has
 * a message rejected by Postfix (through the milter) that another recipient receives, and the real rspamc asks for
 * the same settings by id ({@code --header 'Settings-Id: strict_bob'}).
 */
class SettingsAgainstPostfixAndRspamcTest {
    private static final Path RSPAMC = Path.of("/usr/bin/rspamc");
    private static final Pattern RESULT_SCORE = Pattern.compile("X-Spamd-Result: default: \\w+ \\[([-0-9.]+) / 15\\.00]");
    /** Bob wants less spam than the site's defaults: he rejects from 1 (the action taken is the highest reached). */
    private static final String SETTINGS = """
            strict_bob {
              rcpt = "bob@example.test";
              apply { actions { reject = 1; "add header" = 0.5; greylist = null; } }
            }
            tagged_outbound {
              request_header { "MTA-Tag" = "^outbound$"; }
              apply { actions { reject = 2; "add header" = 0.5; greylist = null; } }
            }
            """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        // the SMTP client is on loopback, which the stock configuration treats as local (no headers)
        Files.writeString(etc.resolve("local.d/milter_headers.conf"), "skip_local = false;\n");
        Files.writeString(etc.resolve("local.d/settings.conf"), SETTINGS);
        // the message's score must not hang on fitted weights (mailsift fit-scores rewrites them): pin the one it
        // certainly gets, so it scores at least 2 for everyone
        Files.writeString(etc.resolve("local.d/groups.conf"),
                "group \"headers\" { symbols { \"MIME_HTML_ONLY\" { weight = 2.0; } } }\n");
        return etc;
    }

    /** HTML only, an all-capitals subject and a link to a bare IP: a few points, far from the site's 15. */
    private static byte[] prize(String to) {
        return ("From: Carol <carol@sender.test>\r\nTo: <" + to + ">\r\nSubject: WIN A FREE PRIZE TODAY\r\n"
                + "Message-ID: <prize." + to + "@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n"
                + "Content-Type: text/html\r\n\r\n"
                + "<html><body><p>Click <a href=\"http://192.0.2.99/win\">here</a> to claim your prize!!!</p>"
                + "</body></html>\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aRecipientWithHerOwnRejectThresholdHasTheMessageRejectedThatAnotherReceives() throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "no private Postfix here");
        try (AgentContext context = new AgentContext(ConfigDirectory.open(config()), dir.resolve("db"));
             MilterService service = new MilterService()) {
            service.start(context);
            int port = ((InetSocketAddress) service.server().boundAddresses().get(0)).getPort();
            try (PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port))) {
                try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", postfix.smtpPort(), "client.sender.test")) {
                    assertThat(smtp.send("carol@sender.test", List.of("alice@example.test"), prize("alice@example.test"))
                            .code()).isEqualTo(250);
                    SmtpClient.Reply bob = smtp.send("carol@sender.test", List.of("bob@example.test"),
                            prize("bob@example.test"));
                    assertThat(bob.code()).as(bob.toString()).isEqualTo(554);
                    assertThat(bob.text()).startsWith("5.7.1 ");
                }
                String delivered = Files.readString(postfix.awaitDelivered("alice", 1, Duration.ofSeconds(20)).get(0));
                Matcher score = RESULT_SCORE.matcher(delivered);
                assertThat(score.find()).as(delivered).isTrue();
                // the same message scores above Bob's threshold: only his settings made the difference
                assertThat(Double.parseDouble(score.group(1))).isGreaterThanOrEqualTo(1.0).isLessThan(15.0);
                assertThat(postfix.delivered("bob")).isEmpty();
            }
        }
    }

    @Test
    void rspamcAsksForTheSettingsByIdAndTheVerdictFollowsThem() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(RSPAMC), "rspamc not installed");
        Path message = Files.write(dir.resolve("prize.eml"), prize("alice@example.test"));
        try (AgentContext context = new AgentContext(ConfigDirectory.open(config()), dir.resolve("db"));
             ControllerService service = new ControllerService()) {
            service.start(context);
            String host = "127.0.0.1:" + ((InetSocketAddress) service.server().normalAddresses().get(0)).getPort();

            String plain = rspamc("-h", host, "-r", "alice@example.test", message.toString());
            String byId = rspamc("-h", host, "-r", "alice@example.test", "--header", "Settings-Id: strict_bob",
                    message.toString());
            String inline = rspamc("-h", host, "-r", "alice@example.test", "--header",
                    "Settings={ actions { reject = 1; \"add header\" = 0.5; greylist = null; } }", message.toString());

            assertThat(plain).doesNotContain("Action: reject").containsPattern("Score: [0-9.]+ / 15\\.00");
            assertThat(byId).contains("Action: reject").containsPattern("Score: [0-9.]+ / 1\\.00");
            assertThat(inline).contains("Action: reject").containsPattern("Score: [0-9.]+ / 1\\.00");
            String tagged = rspamc("-h", host, "-r", "alice@example.test", "--header", "MTA-Tag: outbound",
                    message.toString());
            assertThat(tagged).as("request_header matched rspamc's header").containsPattern("Score: [0-9.]+ / 2\\.00");
        }
    }

    private static String rspamc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RSPAMC.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
