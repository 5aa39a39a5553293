package org.mailsift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Debian's {@code rspamd} package (installed by scripts/install-test-deps.sh) puts Rspamd's own configuration in
 * /etc/rspamd: every UCL file of it must parse, so that an admin's tree, which starts from it, does too.
 */
class RspamdStockTreeTest {
    private static final Path STOCK = Path.of("/etc/rspamd");

    private static void assumeStockTree() {
        assumeTrue(Files.isRegularFile(STOCK.resolve("rspamd.conf")),
                "/etc/rspamd/rspamd.conf is absent: install Debian's rspamd package (scripts/install-test-deps.sh)"
                        + " to run this test");
    }

    /** Every *.conf and *.inc, in every folder but maps.d, which holds Rspamd's map files (lists, not UCL). */
    private static List<Path> uclFiles() throws IOException {
        try (Stream<Path> files = Files.walk(STOCK)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".inc"))
                    .filter(f -> !STOCK.relativize(f).startsWith("maps.d"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyStockFileParsesWithItsIncludes() throws IOException {
        assumeStockTree();
        ConfigDirectory config = ConfigDirectory.open(STOCK);
        List<Path> files = uclFiles();
        assertThat(files).hasSizeGreaterThan(50).contains(STOCK.resolve("modules.d/external_services.conf"));
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try {
                config.parse(f);
            } catch (ConfigException e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void rspamdConfReadsEveryModuleThroughTheGlobInclude() {
        assumeStockTree();
        UclObject whole = ConfigDirectory.open(STOCK).parse(STOCK.resolve("rspamd.conf"));
        // modules.conf: .include(glob=true) "${CONFDIR}/modules.d/*.conf"
        assertThat(whole.keys()).contains("options", "logging", "worker", "dkim", "multimap", "external_services",
                "settings");
        UclObject external = whole.getObject("external_services").orElseThrow();
        UclObject mime = external.getObject("oletools").orElseThrow().getObject("mime_parts_filter_regex")
                .orElseThrow();
        // written "application\/vnd\.ms-word.*": libucl, and so Rspamd, reads the escapes as the plain characters
        assertThat(mime.getString("DOC3", null)).isEqualTo("application/vnd.ms-word.*");
    }

    @Test
    void everySectionMergesWithLocalAndOverrideFiles() {
        assumeStockTree();
        ConfigDirectory config = ConfigDirectory.open(STOCK);
        for (String section : config.sectionNames()) {
            assertThat(config.section(section)).as(section).isNotNull();
        }
        assertThat(config.sectionNames()).contains("actions", "options", "modules", "settings");
    }
}
