package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener.ScanSource;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;

/** What `systemctl reload mailsift` (SIGHUP) does to a running daemon. */
class ConfigReloadTest {
    private static final byte[] MESSAGE = ("From: sam@example.org\r\nTo: alice@example.test\r\nSubject: lunch\r\n"
            + "Message-ID: <lunch@example.org>\r\nDate: Thu, 21 Nov 2026 10:00:00 +0000\r\n\r\nThursday at noon?\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path conf;
    @TempDir
    Path data;

    private AgentContext context;
    private final Recorder watcher = new Recorder();

    /** A running service that takes reloads and remembers the add_header threshold it was given. */
    private static final class Recorder implements DaemonService, Reloadable {
        final List<Double> addHeaderSeen = new ArrayList<>();

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void start(AgentContext context) {
        }

        @Override
        public void reload(ConfigSource config) {
            addHeaderSeen.add(config.section("actions").getDouble("add_header", -1));
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void runningDaemon() throws Exception {
        Files.writeString(conf.resolve("actions.conf"), "reject = 15;\nadd_header = 6;\ngreylist = 4;\n");
        Files.createDirectories(conf.resolve("local.d"));
        context = new AgentContext(ConfigDirectory.open(conf), data);
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    private ConfigReload reload() {
        return new ConfigReload(context, () -> List.of(watcher), () -> ConfigDirectory.open(conf));
    }

    private static double addHeaderThreshold(MessageScanner scanner) {
        return scanner.scan(MESSAGE, Envelope.EMPTY).thresholds().get("add header");
    }

    @Test
    void aScannerHandedOutBeforeTheReloadUsesTheNewThresholdsAfterIt() throws Exception {
        MessageScanner milterScanner = context.scanner(ScanSource.MILTER);
        assertThat(addHeaderThreshold(milterScanner)).isEqualTo(6.0);

        Files.writeString(conf.resolve("local.d/actions.conf"), "add_header = 5.5;\n");
        assertThat(reload().reload()).isTrue();

        assertThat(addHeaderThreshold(milterScanner)).isEqualTo(5.5);
        assertThat(context.config().section("actions").getDouble("add_header", -1)).isEqualTo(5.5);
    }

    @Test
    void settingsWrittenWhileRunningApplyAfterTheReload() throws Exception {
        MessageScanner milterScanner = context.scanner(ScanSource.MILTER);
        Envelope toAlice = Envelope.builder().addRcpt("alice@example.test").build();
        assertThat(milterScanner.scan(MESSAGE, toAlice).requiredScore()).isEqualTo(15.0);

        Files.writeString(conf.resolve("local.d/settings.conf"),
                "alice { rcpt = \"alice@example.test\"; apply { actions { reject = 9; } } }\n");
        assertThat(reload().reload()).isTrue();

        assertThat(milterScanner.scan(MESSAGE, toAlice).requiredScore()).isEqualTo(9.0);
        assertThat(milterScanner.scan(MESSAGE, Envelope.EMPTY).requiredScore()).isEqualTo(15.0);
    }

    @Test
    void greylistingWrittenWhileRunningAppliesAfterTheReloadAndItsRecordsStay() throws Exception {
        MessageScanner milterScanner = context.scanner(ScanSource.MILTER);
        Files.writeString(conf.resolve("local.d/actions.conf"), "greylist = -100;\n");
        Files.writeString(conf.resolve("local.d/greylist.conf"), "message = \"Come back in five minutes\";\n");
        assertThat(reload().reload()).isTrue();
        Envelope stranger = Envelope.builder().clientIp("192.0.2.10").mailFrom("sam@example.org").addRcpt("alice@example.test").build();
        ScanResult first = milterScanner.scan(MESSAGE, stranger);
        assertThat(first.action()).isEqualTo(Action.SOFT_REJECT);
        assertThat(first.smtpMessage()).isEqualTo("Come back in five minutes");

        Files.writeString(conf.resolve("local.d/greylist.conf"), "message = \"Later, please\";\n");
        assertThat(reload().reload()).isTrue();
        assertThat(milterScanner.scan(MESSAGE, stranger).smtpMessage()).as("too early: the record outlived the reload")
                .isEqualTo("Later, please");

        Files.writeString(conf.resolve("local.d/greylist.conf"), "enabled = false;\n");
        assertThat(reload().reload()).isTrue();
        ScanResult off = milterScanner.scan(MESSAGE, stranger);
        assertThat(off.action()).isNotEqualTo(Action.SOFT_REJECT);
        assertThat(off.hasSymbol("GREYLIST")).isFalse();
    }

    @Test
    void aSigningKeyConfiguredWhileRunningSignsAfterTheReloadAndAnotherSelectorAfterTheNext() throws Exception {
        MessageScanner milterScanner = context.scanner(ScanSource.MILTER);
        byte[] fromAlice = ("From: Alice <alice@example.test>\r\nTo: sam@example.org\r\nSubject: lunch\r\n"
                + "Message-ID: <re-lunch@example.test>\r\nDate: Thu, 21 Nov 2026 10:05:00 +0000\r\n\r\nYes!\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Envelope submitted = Envelope.builder().clientIp("203.0.113.50").mailFrom("alice@example.test")
                .addRcpt("sam@example.org").authUser("alice@example.test").build();
        assertThat(dkimSignature(milterScanner.scan(fromAlice, submitted))).as("no key at the default path").isNull();

        Path keys = Files.createDirectories(data.resolve("dkim"));
        java.security.KeyPair key = DkimKeyFiles.generate("rsa", 1024);
        DkimKeyFiles.write(keys.resolve("example.test.s1.key"), key.getPrivate());
        DkimKeyFiles.write(keys.resolve("example.test.s2.key"), key.getPrivate());
        Files.writeString(conf.resolve("local.d/dkim_signing.conf"),
                "path = \"" + keys + "/$domain.$selector.key\";\nselector = \"s1\";\n");
        assertThat(reload().reload()).isTrue();
        assertThat(dkimSignature(milterScanner.scan(fromAlice, submitted))).contains("d=example.test", "s=s1");

        Files.writeString(conf.resolve("local.d/dkim_signing.conf"),
                "path = \"" + keys + "/$domain.$selector.key\";\nselector = \"s2\";\n");
        assertThat(reload().reload()).isTrue();
        assertThat(dkimSignature(milterScanner.scan(fromAlice, submitted))).contains("d=example.test", "s=s2");
    }

    private static String dkimSignature(ScanResult r) {
        return r.headerChanges().stream().filter(c -> c.name().equals("DKIM-Signature")).map(HeaderChange::value)
                .findFirst().orElse(null);
    }

    @Test
    void reloadableServicesGetTheNewConfiguration() throws Exception {
        Files.writeString(conf.resolve("local.d/actions.conf"), "add_header = 7;\n");

        reload().reload();

        assertThat(watcher.addHeaderSeen).containsExactly(7.0);
    }

    @Test
    void aBrokenConfigurationIsRefusedAndTheRunningOneKept() throws Exception {
        MessageScanner httpScanner = context.scanner(ScanSource.HTTP);
        assertThat(addHeaderThreshold(httpScanner)).isEqualTo(6.0); // running: it has scanned with the good file
        ConfigSource running = context.config();
        Files.writeString(conf.resolve("local.d/actions.conf"), "add_header = 5.5;\nreject = {{{ broken\n");

        assertThat(reload().reload()).isFalse();

        assertThat(context.config()).isSameAs(running);
        assertThat(addHeaderThreshold(httpScanner)).isEqualTo(6.0);
        assertThat(watcher.addHeaderSeen).isEmpty();
    }
}
