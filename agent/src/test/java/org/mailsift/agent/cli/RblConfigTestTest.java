package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.StockConfiguration;

/** configtest on rbl.conf: the stock file is clean; a list mailsift cannot run is named with file, line and column. */
class RblConfigTestTest {
    @TempDir
    Path dir;

    @Test
    void theStockListsPassAndABadSelectorOrHashIsReportedWhereItIsWritten() throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        CliRun ok = CliRun.of("configtest", "-c", etc.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.err()).doesNotContain("rbl");

        Files.writeString(etc.resolve("local.d/rbl.conf"), """
                rbls {
                  senders { rbl = "senders.example.net"; selector = "nosuchextractor"; }
                  hashed { rbl = "hashed.example.net"; emails = true; hash = "crc32"; }
                }
                """);
        CliRun bad = CliRun.of("configtest", "-c", etc.toString());
        assertThat(bad.exit()).isZero();
        assertThat(bad.err()).contains("local.d/rbl.conf:2:").contains("rbls senders: invalid selector")
                .contains("local.d/rbl.conf:3:").contains("rbls hashed: hash must be one of");
    }
}
