package org.mailsift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirectoryTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void localDotDChangesOnlyWhatItMentions() throws IOException {
        write("actions.conf", "reject = 15;\nadd_header = 6;\ngreylist = 4;\n");
        write("local.d/actions.conf", "reject = 20;\nrewrite_subject = 8;\n");
        UclObject actions = ConfigDirectory.open(dir).section("actions");
        assertThat(actions.getDouble("reject", 0)).isEqualTo(20);
        assertThat(actions.getAll("reject")).hasSize(1);
        assertThat(actions.getDouble("add_header", 0)).isEqualTo(6);
        assertThat(actions.getDouble("rewrite_subject", 0)).isEqualTo(8);
        assertThat(actions.keys()).containsExactly("reject", "add_header", "greylist", "rewrite_subject");
    }

    @Test
    void whatTheDaemonSavedInItsDynamicDirectoryGoesOverLocalAndOverride() throws IOException {
        write("etc/actions.conf", "reject = 15;\nadd_header = 6;\ngreylist = 4;\n");
        write("etc/local.d/actions.conf", "reject = 20;\n");
        write("etc/override.d/actions.conf", "reject = 18;\nadd_header = 7;\n");
        write("data/dynamic/actions.conf", "reject = 12;\n");
        ConfigDirectory config = ConfigDirectory.open(dir.resolve("etc")).withDynamicDirectory(dir.resolve("data/dynamic"));

        UclObject actions = config.section("actions");

        assertThat(actions.getDouble("reject", 0)).isEqualTo(12);
        assertThat(actions.getDouble("add_header", 0)).as("override.d still replaces the stock file").isEqualTo(7);
        assertThat(actions.has("greylist")).isFalse();
        assertThat(config.filesOf("actions")).containsExactly(dir.resolve("etc/override.d/actions.conf"), dir.resolve("data/dynamic/actions.conf"));
        assertThat(config.savedSettingsDirectory()).isEqualTo(dir.resolve("data/dynamic"));
        assertThat(config.configFiles()).contains(dir.resolve("data/dynamic/actions.conf"));
        assertThat(config.reopened().section("actions").getDouble("reject", 0)).isEqualTo(12);
        assertThat(ConfigDirectory.open(dir.resolve("etc")).savedSettingsDirectory()).isEqualTo(dir.resolve("etc/local.d"));
    }

    @Test
    void localSectionsMergeRecursivelyKeepingOtherGroups() throws IOException {
        write("groups.conf", """
                group "headers" { max_score = 8; symbols { MISSING_DATE { weight = 1.0; } } }
                group "mime_types" { max_score = 10; }
                """);
        write("local.d/groups.conf", "group \"headers\" { symbols { MISSING_DATE { weight = 3.5; } } }\n");
        Map<String, UclObject> groups = ConfigDirectory.open(dir).section("groups").getNamedSections("group");
        assertThat(groups).containsOnlyKeys("headers", "mime_types");
        UclObject headers = groups.get("headers");
        assertThat(headers.getDouble("max_score", 0)).isEqualTo(8);
        UclObject missingDate = headers.getObject("symbols").orElseThrow().getObject("MISSING_DATE").orElseThrow();
        assertThat(missingDate.getDouble("weight", 0)).isEqualTo(3.5);
        assertThat(groups.get("mime_types").getDouble("max_score", 0)).isEqualTo(10);
    }

    @Test
    void aLocalArrayReplacesTheStockOne() throws IOException {
        write("options.inc", "local_addrs = [\"10.0.0.0/8\", \"192.168.0.0/16\"];\n");
        write("local.d/options.inc", "local_addrs = [\"172.16.0.0/12\"];\n");
        assertThat(ConfigDirectory.open(dir).section("options").getStringList("local_addrs"))
                .containsExactly("172.16.0.0/12");
    }

    @Test
    void overrideDotDReplacesStockAndLocalEntirely() throws IOException {
        write("actions.conf", "reject = 15;\nadd_header = 6;\n");
        write("local.d/actions.conf", "greylist = 3;\n");
        write("override.d/actions.conf", "reject = 30;\n");
        UclObject actions = ConfigDirectory.open(dir).section("actions");
        assertThat(actions.keys()).containsExactly("reject");
        assertThat(actions.getDouble("reject", 0)).isEqualTo(30);
    }

    @Test
    void incFilesAreSectionsTooAndOptionsIncIsTheOptionsSection() throws IOException {
        write("worker-normal.inc", "bind_socket = \"127.0.0.1:11333\";\n");
        write("local.d/worker-normal.inc", "bind_socket = \"0.0.0.0:11333\";\n");
        write("options.inc", "dbdir = \"/var/lib/mailsift\";\n");
        ConfigDirectory config = ConfigDirectory.open(dir);
        assertThat(config.section("worker-normal").getString("bind_socket", null)).isEqualTo("0.0.0.0:11333");
        assertThat(config.section("options").getString("dbdir", null)).isEqualTo("/var/lib/mailsift");
    }

    @Test
    void aSectionWithoutFilesIsEmpty() {
        ConfigDirectory config = ConfigDirectory.open(dir);
        assertThat(config.section("redis").keys()).isEmpty();
        assertThat(config.filesOf("redis")).isEmpty();
    }

    @Test
    void aSectionOnlyInLocalDotDIsRead() throws IOException {
        write("local.d/imap_watcher.conf", "enabled = true;\n");
        assertThat(ConfigDirectory.open(dir).section("imap_watcher").getBoolean("enabled", false)).isTrue();
    }

    @Test
    void includesSeeConfdirAsTheDirectory() throws IOException {
        write("scores.d/headers_group.conf", "group \"headers\" { max_score = 7; }\n");
        write("groups.conf", ".include(try=true, duplicate=merge) \"$CONFDIR/scores.d/*.conf\"\n");
        write("local.d/groups.conf", ".include(try=true) \"$LOCAL_CONFDIR/local.d/extra/*.conf\"\n");
        UclObject groups = ConfigDirectory.open(dir).section("groups");
        assertThat(groups.getNamedSections("group").get("headers").getDouble("max_score", 0)).isEqualTo(7);
    }

    @Test
    void sectionsAreParsedOnce() throws IOException {
        Path actions = write("actions.conf", "reject = 15;\n");
        ConfigDirectory config = ConfigDirectory.open(dir);
        UclObject first = config.section("actions");
        Files.writeString(actions, "reject = 99;\n");
        assertThat(config.section("actions")).isSameAs(first);
    }

    @Test
    void anErrorInALocalFileNamesThatFileLineAndColumn() throws IOException {
        write("actions.conf", "reject = 15;\n");
        Path local = write("local.d/actions.conf", "# raise it\nreject = 20\nadd_header = \"6\" 7;\n");
        ConfigDirectory config = ConfigDirectory.open(dir);
        assertThatThrownBy(() -> config.section("actions")).isInstanceOf(ConfigException.class)
                .hasMessage(local.toAbsolutePath() + ":3:18: expected ';' or a new line after the value, found '7'")
                .extracting(e -> ((ConfigException) e).position())
                .isEqualTo(new Position(local.toAbsolutePath().toString(), 3, 18));
    }

    @Test
    void listsEveryConfigFileAndSectionName() throws IOException {
        write("actions.conf", "");
        write("options.inc", "");
        write("local.d/worker-proxy.inc", "");
        write("override.d/redis.conf", "");
        write("local.d/README", "not a config file");
        write("scores.d/x.conf", "");
        ConfigDirectory config = ConfigDirectory.open(dir);
        assertThat(config.sectionNames()).containsExactly("actions", "options", "redis", "worker-proxy");
        assertThat(config.configFiles()).extracting(p -> dir.relativize(p).toString())
                .containsExactly("actions.conf", "options.inc", "local.d/worker-proxy.inc", "override.d/redis.conf");
    }

    @Test
    void warningsAreKeptInOrderOnce() {
        ConfigDirectory config = ConfigDirectory.open(dir);
        config.warn("a.conf:1:1: unknown option 'x'");
        config.warn("b.conf:2:1: unknown option 'y'");
        config.warn("a.conf:1:1: unknown option 'x'");
        assertThat(config.warnings()).containsExactly("a.conf:1:1: unknown option 'x'", "b.conf:2:1: unknown option 'y'");
    }

    @Test
    void aMissingDirectoryIsReportedByName() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ConfigDirectory.open(missing)).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void theShippedEtcParsesCleanly() {
        String root = System.getProperty("mailsift.root");
        Path etc = root == null ? Path.of("../etc") : Path.of(root, "etc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(etc), "the repository's etc/ is not here");
        ConfigDirectory config = ConfigDirectory.open(etc);
        for (Path f : config.configFiles()) {
            config.parse(f);
        }
        UclObject actions = config.section("actions");
        assertThat(actions.getDouble("reject", 0)).isEqualTo(15);
        assertThat(actions.getDouble("add_header", 0)).isEqualTo(6);
        assertThat(actions.getDouble("greylist", 0)).isEqualTo(4);
        assertThat(actions.getScalar("rewrite_subject").orElseThrow().isNull()).isTrue();
        assertThat(actions.getString("subject", null)).isEqualTo("*** SPAM *** %s");
        assertThat(config.section("worker-proxy").getString("bind_socket", null)).isEqualTo("127.0.0.1:11332");
        assertThat(config.section("worker-proxy").getMillis("timeout", 0)).isEqualTo(120_000);
        assertThat(config.section("worker-controller").getStringList("secure_ip")).containsExactly("127.0.0.1", "::1");
        assertThat(config.section("imap_watcher").getBoolean("enabled", true)).isFalse();
    }
}
