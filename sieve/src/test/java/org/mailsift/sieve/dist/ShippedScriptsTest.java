package org.mailsift.sieve.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailsift.sieve.ShippedScripts;
import org.mailsift.sieve.engine.SieveEngine;

/** Every shipped script compiles with Dovecot's sievec, the delivery ones also with our jSieve engine. */
class ShippedScriptsTest {
    static final Path DIST = Path.of(System.getProperty("mailsift.root", "..")).resolve("sieve/src/main/dist");
    static final Path SIEVEC = Path.of("/usr/bin/sievec");

    @TempDir
    Path tmp;

    static Stream<String> scripts() {
        return Stream.of(ShippedScripts.SPAM_TO_JUNK, ShippedScripts.SPAM_TO_JUNK_READ, ShippedScripts.SPAM_TO_JUNK_SCORE,
                ShippedScripts.REPORT_SPAM, ShippedScripts.REPORT_HAM);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void sievecCompilesEveryShippedScript(String name) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SIEVEC), "sievec (dovecot-sieve) not installed");
        // the settings our Dovecot 2.3 snippet sets: special-use enabled, imapsieve + extprograms for the report scripts
        Path conf = Files.writeString(tmp.resolve("dovecot.conf"), """
                mail_location = maildir:%s/Maildir
                plugin {
                  sieve_extensions = +special-use
                  sieve_plugins = sieve_imapsieve sieve_extprograms
                  sieve_global_extensions = +vnd.dovecot.pipe +vnd.dovecot.environment
                }
                """.formatted(tmp));
        Path script = Files.write(tmp.resolve(name), ShippedScripts.read(name));
        Process p = new ProcessBuilder(SIEVEC.toString(), "-c", conf.toString(), script.toString(), tmp.resolve(name + ".svbin").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(tmp.resolve(name + ".svbin")).exists();
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void jarCopyIsTheDistFile(String name) throws Exception {
        assertThat(ShippedScripts.read(name)).isEqualTo(Files.readAllBytes(DIST.resolve("sieve").resolve(name)));
    }

    @Test
    void deliveryScriptsCompileWithJSieve() throws Exception {
        SieveEngine engine = new SieveEngine();
        for (String name : List.of(ShippedScripts.SPAM_TO_JUNK, ShippedScripts.SPAM_TO_JUNK_READ, ShippedScripts.SPAM_TO_JUNK_SCORE)) {
            assertThat(engine.compile(name, ShippedScripts.read(name)).name()).isEqualTo(name);
        }
    }

    @Test
    void learnHelperIsPosixShellAndExecutable() throws Exception {
        Path helper = DIST.resolve("sieve/mailsift-learn");
        assertThat(Files.isExecutable(helper)).isTrue();
        for (String shell : List.of("/bin/sh", "/bin/dash")) {
            if (Files.isExecutable(Path.of(shell))) {
                Process p = new ProcessBuilder(shell, "-n", helper.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(shell + ": " + out).isZero();
            }
        }
    }

    @Test
    void dovecot23SnippetIsAcceptedByDoveconf() throws Exception {
        Path doveconf = Path.of("/usr/bin/doveconf");
        Assumptions.assumeTrue(Files.isExecutable(doveconf));
        String snippet = Files.readString(DIST.resolve("dovecot/2.3/90-mailsift.conf"));
        Path conf = Files.writeString(tmp.resolve("dovecot.conf"), "mail_location = maildir:~/Maildir\n" + snippet);
        Process p = new ProcessBuilder(doveconf.toString(), "-c", conf.toString(), "-n").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("imapsieve_mailbox1_before = file:/usr/share/mailsift/sieve/report-spam.sieve");
    }
}
