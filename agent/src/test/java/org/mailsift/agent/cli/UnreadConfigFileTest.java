package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.StockConfiguration;

/** configtest names a local.d file no module reads (a module mailsift lacks, a misspelt name): a warning, not an error. */
class UnreadConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileOfAModuleNobodyReadsIsAWarningAndTheStockTreeHasNone() throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        CliRun stock = CliRun.of("configtest", "-c", etc.toString(), "--dbdir", dir.resolve("db").toString());
        assertThat(stock.exit()).isZero();
        assertThat(stock.err()).doesNotContain("no mailsift module reads");

        Files.writeString(etc.resolve("local.d/multimaps.conf"), "BAD { type = \"from\"; map = [\"x@example.com\"]; }\n");
        CliRun typo = CliRun.of("configtest", "-c", etc.toString(), "--dbdir", dir.resolve("db").toString());
        assertThat(typo.exit()).isZero();
        assertThat(typo.err()).contains(etc.resolve("local.d/multimaps.conf") + ":1:1: no mailsift module reads 'multimaps'");
    }
}
