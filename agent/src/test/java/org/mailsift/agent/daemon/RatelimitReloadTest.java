package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.agent.cli.CliCommand;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener.ScanSource;

/** ratelimit.conf is checked by configtest and applied by a reload (SIGHUP) without a restart. */
class RatelimitReloadTest {
    private static final byte[] MESSAGE = ("From: alice@example.test\r\nTo: bob@example.org\r\nSubject: lunch\r\n"
            + "Message-ID: <lunch@example.test>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\nThursday at noon?\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final Envelope ALICE = Envelope.builder().clientIp("192.0.2.25").authUser("alice")
            .mailFrom("alice@example.test").addRcpt("bob@example.org").build();

    @TempDir
    Path dir;
    private Path etc;
    private AgentContext context;

    @BeforeEach
    void daemon() throws Exception {
        etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("local.d/ratelimit.conf"), rate(1));
        context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    private static String rate(int burst) {
        return "rates {\n  sasl_user { selector = \"user\"; bucket { burst = " + burst + "; rate = \"1 / 1h\"; } }\n}\n";
    }

    private ConfigReload reload() {
        return new ConfigReload(context, List::of, () -> ConfigDirectory.open(etc));
    }

    @Test
    void aReloadAppliesAChangedLimitAndRefusesABrokenOne() throws Exception {
        MessageScanner milter = context.scanner(ScanSource.MILTER);
        assertThat(milter.scan(MESSAGE, ALICE).action()).isNotEqualTo(Action.SOFT_REJECT);
        assertThat(milter.scan(MESSAGE, ALICE).action()).isEqualTo(Action.SOFT_REJECT);

        Files.writeString(etc.resolve("local.d/ratelimit.conf"), rate(3));
        assertThat(reload().reload()).isTrue();
        assertThat(milter.scan(MESSAGE, ALICE).action()).as("a burst of 3 is a bucket of its own")
                .isNotEqualTo(Action.SOFT_REJECT);

        Files.writeString(etc.resolve("local.d/ratelimit.conf"), rate(3).replace("\"user\"", "\"usr\""));
        assertThat(reload().reload()).isFalse();
        assertThat(milter.scan(MESSAGE, ALICE).action()).isNotEqualTo(Action.SOFT_REJECT);
        assertThat(milter.scan(MESSAGE, ALICE).action()).isNotEqualTo(Action.SOFT_REJECT);
        assertThat(milter.scan(MESSAGE, ALICE).action()).as("the running limits are kept")
                .isEqualTo(Action.SOFT_REJECT);
    }

    @Test
    void configtestNamesTheFileLineAndColumnOfABadSelector() throws Exception {
        Path conf = etc.resolve("local.d/ratelimit.conf");
        Files.writeString(conf, rate(3).replace("\"user\"", "\"user.lowr\""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"configtest", "-c", etc.toString(), "--dbdir", dir.resolve("db2").toString()},
                new CliCommand.Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mailsift: " + conf.toAbsolutePath() + ":2:")
                .contains("unknown transform 'lowr'").contains("at position 6");
    }
}
