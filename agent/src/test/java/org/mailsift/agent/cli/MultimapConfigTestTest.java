package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.StockConfiguration;

/** configtest on multimap.conf: a bad map line is a warning naming the map file and line, a bad rule an error. */
class MultimapConfigTestTest {
    @TempDir
    Path dir;

    @Test
    void badMapLineIsReportedWithFileAndLineAndABadRuleFailsWithFileLineColumn() throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Path maps = Files.createDirectories(etc.resolve("local.d/maps"));
        Files.writeString(maps.resolve("subjects.re"), "/viagra/i\n/(unclosed/\n");
        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                SUBJECTS { type = "header"; header = "Subject"; regexp = true; score = 2;
                  map = "${LOCAL_CONFDIR}/local.d/maps/subjects.re"; }
                """);
        CliRun ok = CliRun.of("configtest", "-c", etc.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.err()).contains(maps.resolve("subjects.re") + ":2").contains("bad regexp");

        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                SUBJECTS { type = "header"; header = "Subject"; score = 2;
                  filter = "regexp:/(?<=look)behind/"; map = ["x"]; }
                """);
        CliRun bad = CliRun.of("configtest", "-c", etc.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("local.d/multimap.conf:2:").contains("multimap rule SUBJECTS");
    }
}
