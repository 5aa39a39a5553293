package org.mailsift.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.cli.CliCommand;
import org.mailsift.agent.cli.Commands;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int mailsift(String... args) {
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(args, io);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void helpListsEveryCommandWithItsSummary() {
        assertThat(mailsift("--help")).isZero();
        for (CliCommand c : Commands.all()) {
            assertThat(out()).contains("  " + c.name() + " ").contains(c.summary());
        }
        assertThat(err()).isEmpty();
    }

    @Test
    void everyCommandDescribesItsOptions() {
        for (CliCommand c : Commands.all()) {
            out.reset();
            assertThat(mailsift(c.name(), "--help")).as(c.name()).isZero();
            assertThat(out()).as(c.name()).contains("mailsift " + c.name()).contains("--help");
            if (c.usesConfig()) {
                assertThat(out()).as(c.name()).contains("--config <DIR>").contains("--dbdir <DIR>");
            }
        }
    }

    @Test
    void anUnknownCommandPrintsUsageAndExits2() {
        assertThat(mailsift("frobnicate")).isEqualTo(2);
        assertThat(err()).startsWith("mailsift: unknown command 'frobnicate'").contains("Commands:");
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        assertThat(mailsift()).isEqualTo(2);
        assertThat(err()).contains("usage: mailsift <command>");
    }

    @Test
    void anUnknownOptionExits2() {
        assertThat(mailsift("configtest", "--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("--frobnicate").contains("mailsift configtest --help");
    }

    @Test
    void configtestAcceptsAGoodDirectoryAndSaysSo() throws IOException {
        write("actions.conf", "reject = 15;\n");
        write("local.d/actions.conf", "reject = 20;\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isZero();
        assertThat(out()).isEqualTo("syntax OK" + System.lineSeparator());
    }

    @Test
    void configtestOnABrokenFilePrintsFileLineColumnAndExits1() throws IOException {
        write("actions.conf", "reject = 15;\n");
        Path broken = write("local.d/worker-proxy.inc", "bind_socket = \"127.0.0.1:11332\";\ntimeout = 120s\n}\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mailsift: " + broken.toAbsolutePath() + ":3:1: unexpected '}'" + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void configtestChecksEveryFileEvenOnesNoModuleReads() throws IOException {
        write("groups.conf", "group \"headers\" { max_score = 8; }\n");
        Path orphan = write("override.d/unused.conf", "a = [1, 2\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).contains(orphan.toAbsolutePath() + ":2:1: missing ']'");
    }

    @Test
    void configtestWarnsAboutOptionsNoModuleReads() throws IOException {
        Path options = write("options.inc", "local_addrs = [\"10.0.0.0/8\"];\n  dns_servers = \"8.8.8.8\";\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isZero();
        assertThat(err()).contains("warning: " + options.toAbsolutePath() + ":2:17: unknown option 'dns_servers' in options");
        assertThat(out()).isEqualTo("syntax OK" + System.lineSeparator());
    }

    @Test
    void configtestAcceptsRspamdsOwnStockTreeAndWarnsAboutWhatItDoesNotUse() {
        Path stock = Path.of("/etc/rspamd");
        assumeTrue(Files.isRegularFile(stock.resolve("rspamd.conf")),
                "/etc/rspamd is absent: install Debian's rspamd package (scripts/install-test-deps.sh)");
        assertThat(mailsift("configtest", "-c", stock.toString(), "--dbdir", dir.toString())).isZero();
        assertThat(out()).isEqualTo("syntax OK" + System.lineSeparator());
        assertThat(err()).contains("warning: /etc/rspamd/options.inc:").doesNotContain("mailsift: ");
    }

    @Test
    void configtestNamesABadSettingsRegexpByFileLineAndColumn() throws IOException {
        Path settings = write("local.d/settings.conf", "strict {\n  rcpt = \"/[unclosed/\";\n  apply { BAYES_SPAM = 9; }\n}\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).startsWith("mailsift: " + settings.toAbsolutePath() + ":2:10: ");
    }

    @Test
    void configtestRejectsAValueOfTheWrongKindWithItsPosition() throws IOException {
        Path actions = write("local.d/actions.conf", "\nreject = lots;\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).startsWith("mailsift: " + actions.toAbsolutePath() + ":2:10: ");
    }

    @Test
    void configtestBuildsEveryModulesSettingsSoABadListenerFailsHereNotAtRun() throws IOException {
        Path proxy = write("local.d/worker-proxy.inc", "milter = yes;\nbind_socket = \"127.0.0.1:99999\";\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).startsWith("mailsift: " + proxy.toAbsolutePath() + ":2:").contains("port out of range");

        write("local.d/worker-proxy.inc", "max_scans = 4;\n");
        Path controller = write("local.d/worker-controller.inc", "secure_ip = \"not-an-address\";\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isEqualTo(1);
        assertThat(err()).contains(controller.toAbsolutePath() + ":1:");
    }

    @Test
    void configtestReportsUnknownOptionsOfTheMilterToo() throws IOException {
        Path proxy = write("local.d/worker-proxy.inc", "max_scanz = 4;\n");
        assertThat(mailsift("configtest", "-c", dir.toString())).isZero();
        assertThat(err()).contains("warning: " + proxy.toAbsolutePath() + ":1:").contains("max_scanz");
    }

    @Test
    void configdumpMergesWhatTheDaemonSavedInItsDataDirectoryLast() throws IOException {
        Path data = dir.resolve("data");
        write("options.inc", "dbdir = \"" + data + "\";\n");
        write("actions.conf", "reject = 15;\nadd_header = 6;\n");
        write("local.d/actions.conf", "reject = 20;\n");
        java.nio.file.Files.createDirectories(data.resolve("dynamic"));
        java.nio.file.Files.writeString(data.resolve("dynamic/actions.conf"), "reject = 12;\n"); // as /saveactions writes it
        assertThat(mailsift("configdump", "-c", dir.toString(), "actions")).isZero();
        assertThat(out()).contains("# actions: actions.conf, local.d/actions.conf, data/dynamic/actions.conf")
                .contains("reject = 12;").contains("add_header = 6;");
    }

    @Test
    void configdumpPrintsTheMergedSectionsAsUcl() throws IOException {
        write("actions.conf", "reject = 15;\nadd_header = 6;\n");
        write("local.d/actions.conf", "reject = 20;\n");
        write("worker-proxy.inc", "bind_socket = \"127.0.0.1:11332\";\ntimeout = 2min;\n");
        assertThat(mailsift("configdump", "-c", dir.toString(), "actions", "worker-proxy")).isZero();
        assertThat(out()).isEqualTo("""
                # actions: actions.conf, local.d/actions.conf
                actions {
                    reject = 20;
                    add_header = 6;
                }

                # worker-proxy: worker-proxy.inc
                worker-proxy {
                    bind_socket = "127.0.0.1:11332";
                    timeout = 120.0;
                }

                """);
    }

    @Test
    void configdumpOfAnUnknownSectionFails() throws IOException {
        write("actions.conf", "reject = 15;\n");
        assertThat(mailsift("configdump", "-c", dir.toString(), "nonsense")).isEqualTo(1);
        assertThat(err()).startsWith("mailsift: no section 'nonsense' in ");
    }

    @Test
    void aMissingConfigurationDirectoryIsOneLineAndExit1() {
        Path missing = dir.resolve("absent");
        assertThat(mailsift("configtest", "-c", missing.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mailsift: configuration directory " + missing + " does not exist"
                + System.lineSeparator());
    }
}
