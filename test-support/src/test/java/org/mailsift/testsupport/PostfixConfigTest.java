package org.mailsift.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostfixConfigTest {

    @Test
    void aSettingReplacesTheTemplatesLineInPlaceAndANewOneIsAppended() {
        String main = PostfixConfig.of(Path.of("/srv/pf"), 2525, "unit")
                .set("virtual_transport", "discard:benchmark")
                .set("message_size_limit", "20480000")
                .mainCf();

        List<String> lines = main.lines().toList();
        assertThat(lines).contains("config_directory = /srv/pf/etc", "syslog_name = unit",
                "maillog_file = /srv/pf/maillog", "virtual_transport = discard:benchmark");
        assertThat(lines).doesNotContain("virtual_transport = virtual");
        assertThat(lines.indexOf("virtual_transport = discard:benchmark"))
                .isLessThan(lines.indexOf("smtpd_milters ="));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("message_size_limit = 20480000");
        assertThat(main).doesNotContain("${");
    }

    @Test
    void aMainCfFragmentIsReadAsPostfixReadsIt() {
        Map<String, String> p = PostfixConfig.parameters("""
                # the shipped snippet's shape
                smtpd_milters = inet:127.0.0.1:11332
                non_smtpd_milters = $smtpd_milters

                milter_mail_macros = i {mail_addr}
                    {client_addr} {client_name}
                #mailbox_command = /usr/bin/mailsift deliver
                """);

        assertThat(p).containsExactly(Map.entry("smtpd_milters", "inet:127.0.0.1:11332"),
                Map.entry("non_smtpd_milters", "$smtpd_milters"),
                Map.entry("milter_mail_macros", "i {mail_addr} {client_addr} {client_name}"));
    }

    @Test
    void mergeThenSetLetsTheLaterWin() {
        String main = PostfixConfig.of(Path.of("/srv/pf"), 2525, "unit")
                .merge("smtpd_milters = inet:127.0.0.1:11332\nmilter_default_action = accept\n")
                .set("smtpd_milters", "inet:127.0.0.1:40000")
                .mainCf();

        assertThat(main.lines()).contains("smtpd_milters = inet:127.0.0.1:40000").doesNotContain("smtpd_milters = inet:127.0.0.1:11332");
    }

    @Test
    void masterCfRunsSmtpdOnlyOnTheTestPortAndNothingChrooted() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(PostfixConfig.MASTER_CF_DIST), "Postfix not installed");
        String master = PostfixConfig.of(Path.of("/srv/pf"), 2525, "unit").masterCf();

        assertThat(master.lines()).contains("127.0.0.1:2525 inet n - n - - smtpd")
                .noneMatch(l -> l.matches("^smtp\\s+inet\\s.*"));
        assertThat(master.lines().filter(l -> !l.isEmpty() && Character.isLetterOrDigit(l.charAt(0)))
                .map(l -> l.split("\\s+")).filter(f -> f.length >= 8)).allMatch(f -> f[4].equals("n"));
        assertThat(master).contains("postlogd");
    }

    /** The scripts (e2e.sh, bench-milter.sh) write exactly what the Java tests render, through the same class. */
    @Test
    void theScriptsHelperWritesTheSameConfiguration(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PostfixServer.available(), "needs Postfix and root (chown postfix)");
        Path root = Path.of(System.getProperty("mailsift.root", "..")).toAbsolutePath().normalize();
        Path helper = root.resolve("scripts/lib/postfix-config.sh");
        Assumptions.assumeTrue(Files.isReadable(helper), "no scripts/ at " + root);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; postfix_test_config \"$2\" 2525 scripted "
                + "--set virtual_transport=discard:benchmark --set milter_default_action=tempfail", "bash",
                helper.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        PostfixConfig same = PostfixConfig.of(dir, 2525, "scripted").set("virtual_transport", "discard:benchmark")
                .set("milter_default_action", "tempfail");
        assertThat(Files.readString(dir.resolve("etc/main.cf"))).isEqualTo(same.mainCf());
        assertThat(Files.readString(dir.resolve("etc/master.cf"))).isEqualTo(same.masterCf());
        assertThat(dir.resolve("maillog")).exists();
        assertThat(Files.getOwner(dir.resolve("data")).getName()).isEqualTo("postfix");
    }
}
