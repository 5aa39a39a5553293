package org.mailsift.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigException;
import org.slf4j.event.Level;

class LogLevelsTest {
    @TempDir
    Path conf;

    @Test
    void withoutALoggingFileBothLinesAreLoggedAtInfo() {
        LogLevels levels = LogLevels.from(ConfigDirectory.open(conf));

        assertThat(levels.scan()).contains(Level.INFO);
        assertThat(levels.learn()).contains(Level.INFO);
    }

    @Test
    void anAdminCanSilenceScanLinesAndLowerLearnLinesInLocalD() throws Exception {
        Files.createDirectories(conf.resolve("local.d"));
        Files.writeString(conf.resolve("local.d/logging.inc"), "scan_log_level = off;\nlearn_log_level = \"debug\";\n");

        LogLevels levels = LogLevels.from(ConfigDirectory.open(conf));

        assertThat(levels.scan()).isEqualTo(Optional.empty());
        assertThat(levels.learn()).contains(Level.DEBUG);
    }

    @Test
    void aCopiedRspamdLoggingFileIsReportedAsUnusedAndATypoIsAnError() throws Exception {
        Files.writeString(conf.resolve("logging.inc"), "type = \"file\";\nfilename = \"/var/log/rspamd/rspamd.log\";\n");
        ConfigDirectory config = ConfigDirectory.open(conf);

        LogLevels.from(config);

        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("unknown option 'filename' in logging"));
        Files.writeString(conf.resolve("logging.inc"), "scan_log_level = \"loud\";\n");
        assertThatThrownBy(() -> LogLevels.from(ConfigDirectory.open(conf)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scan_log_level");
    }
}
