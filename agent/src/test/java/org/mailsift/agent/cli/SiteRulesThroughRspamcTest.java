package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.testsupport.FreePort;

/**
 * An admin's regexp rules and a composite, end to end: `mailsift run` with the stock configuration, the real rspamc
 * scanning through the scan worker; local.d/regexp.conf scores two header regexps (no action), then a composite
 * written to local.d/composites.conf and applied by `mailsift reload` replaces their weight with its own and the
 * same message gets "add header". `configtest` names the file and line of a regexp RE2 cannot run.
 */
class SiteRulesThroughRspamcTest {
    private static final Path RSPAMC = Path.of("/usr/bin/rspamc");
    private static final String MESSAGE = "From: Deals <deals@shop.example>\r\nTo: you@example.org\r\n"
            + "Subject: Cheap VIAGRA today\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <site-rules-1@shop.example>\r\nX-Mailer: BulkMailer 5.1\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\nGood prices on everything this week.\r\n";

    @TempDir
    Path dir;
    Process daemon;
    Path log;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private Path config(int normal, int controller) throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:" + FreePort.onLoopback() + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:" + normal + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:" + controller
                + "\";\nsecure_ip = \"127.0.0.1\";\nenable_password = \"admin-pw\";\n");
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "enabled = false;\n");
        Files.writeString(etc.resolve("local.d/regexp.conf"), """
                rules {
                  LOCAL_PILLS { re = "Subject=/viagra|cialis/i"; score = 2; description = "Pills in the subject"; group = "local"; }
                  LOCAL_BULK { re = "X-Mailer=/bulkmailer/i & !header_exists(List-Id)"; score = 1; group = "local"; }
                }
                """);
        return etc;
    }

    private String rspamc(int port) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RSPAMC.toString(), "-h", "127.0.0.1:" + port, "-i", "192.0.2.7"));
        Path mail = Files.writeString(dir.resolve("mail.eml"), MESSAGE);
        cmd.add(mail.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static CliRun mailsift(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aRegexpRuleAndACompositeChangeTheActionRspamcSees() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(RSPAMC), "rspamc not installed");
        int normal = FreePort.onLoopback();
        int controller = FreePort.onLoopback();
        Path etc = config(normal, controller);
        assertThat(mailsift("configtest", "-c", etc.toString()).out()).contains("syntax OK");

        String java = ProcessHandle.current().info().command().orElse("java");
        log = dir.resolve("daemon.log");
        daemon = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "-c", etc.toString(), "--dbdir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    assertThat(daemon.isAlive()).as("the daemon died: %s", Files.readString(log)).isTrue();
                    try (Socket s = new Socket("127.0.0.1", normal)) {
                        return true;
                    }
                });

        String before = rspamc(normal);
        assertThat(before).contains("Symbol: LOCAL_PILLS (2.00)").contains("Symbol: LOCAL_BULK (1.00)")
                .contains("Action: no action").doesNotContain("PILLS_IN_BULK");

        Files.writeString(etc.resolve("local.d/composites.conf"), """
                PILLS_IN_BULK {
                  expression = "LOCAL_PILLS & LOCAL_BULK";
                  score = 7;
                  policy = "remove_weight";
                  description = "Pills sent by a bulk mailer";
                }
                """);
        Path pw = Files.writeString(dir.resolve("admin.pw"), "admin-pw\n");
        CliRun reload = mailsift("reload", "-c", etc.toString(), "--password-file", pw.toString());
        assertThat(reload.exit()).as(reload.err()).isZero();

        String after = rspamc(normal);
        assertThat(after).contains("Symbol: PILLS_IN_BULK (7.00)").contains("Symbol: LOCAL_PILLS (0.00)")
                .contains("Symbol: LOCAL_BULK (0.00)").contains("Action: add header");
    }

    @Test
    void configtestNamesTheLineOfARegexpRe2CannotRun() throws IOException {
        Path etc = config(FreePort.onLoopback(), FreePort.onLoopback());
        Files.writeString(etc.resolve("local.d/regexp.conf"), "rules {\n  REPEATED { re = \"Subject=/(\\\\w+) \\\\1/i\"; }\n}\n");
        CliRun test = mailsift("configtest", "-c", etc.toString());
        assertThat(test.exit()).isEqualTo(1);
        assertThat(test.err()).contains("local.d/regexp.conf:2:").contains("REPEATED")
                .contains("backreferences are not supported by RE2");
        Files.writeString(etc.resolve("local.d/regexp.conf"), "");
        Files.writeString(etc.resolve("local.d/composites.conf"), "LOOP { expression = \"R_SPF_NA & LOOP\"; }\n");
        test = mailsift("configtest", "-c", etc.toString());
        assertThat(test.exit()).isEqualTo(1);
        assertThat(test.err()).contains("local.d/composites.conf:1:").contains("LOOP refers to itself");
    }
}
