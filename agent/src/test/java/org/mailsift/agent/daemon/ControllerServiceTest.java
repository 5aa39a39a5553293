package org.mailsift.agent.daemon;

import org.mailsift.agent.StockConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanListener;

/**
 * `mailsift run`'s HTTP workers with the real engine and Bayes, driven by the real rspamc: learning a corpus sample
 * shows up live in `rspamc stat`, and a scan from another path (CLI) appears in /history.
 */
class ControllerServiceTest {
    private static final Path RSPAMC = Path.of("/usr/bin/rspamc");

    @TempDir
    Path dir;

    private Path configWithFreePorts() throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"),
                "bind_socket = \"127.0.0.1:0\";\nsecure_ip = \"127.0.0.1\";\n"
                        + "secure_ip_writes = \"learn\";\n"); // rspamc learns below without a password, as pipe scripts do
        return etc;
    }

    private static List<Path> corpus(String cls, int n) throws IOException {
        Path d = Path.of(System.getProperty("mailsift.corpus", "/nonexistent")).resolve(cls);
        Assumptions.assumeTrue(Files.isDirectory(d), "corpus not available");
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().limit(n).toList();
        }
    }

    private static String rspamc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RSPAMC.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void rspamcLearnsScansAndSeesLiveStatisticsThroughTheRealEngine() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(RSPAMC), "rspamc not installed");
        List<Path> spam = corpus("spam", 5);
        Path spamDir = Files.createDirectories(dir.resolve("spam"));
        for (Path p : spam) {
            byte[] b = Files.readAllBytes(p);
            String s = new String(b, StandardCharsets.ISO_8859_1);
            if (s.startsWith("From ")) {
                b = s.substring(s.indexOf('\n') + 1).getBytes(StandardCharsets.ISO_8859_1);
            }
            Files.write(spamDir.resolve(p.getFileName()), b);
        }
        try (AgentContext context = new AgentContext(ConfigDirectory.open(configWithFreePorts()), dir.resolve("db"));
             ControllerService service = new ControllerService()) {
            service.start(context);
            int nport = ((InetSocketAddress) service.server().normalAddresses().get(0)).getPort();
            int cport = ((InetSocketAddress) service.server().controllerAddresses().get(0)).getPort();

            String learn = rspamc("-h", "127.0.0.1:" + cport, "learn_spam", spamDir.toString());
            String again = rspamc("-h", "127.0.0.1:" + cport, "learn_spam", spamDir.toString());
            String stat = rspamc("-h", "127.0.0.1:" + cport, "stat");
            String scan = rspamc("-h", "127.0.0.1:" + nport, spamDir.resolve(spam.get(0).getFileName()).toString());
            context.scanner(ScanListener.ScanSource.CLI).scan(Files.readAllBytes(spamDir.resolve(spam.get(1).getFileName())), Envelope.EMPTY);
            String history = new String(java.net.URI.create("http://127.0.0.1:" + cport + "/history").toURL().openStream().readAllBytes(),
                    StandardCharsets.UTF_8);

            long learned = learn.lines().filter(l -> l.contains("success = true")).count();
            assertThat(learned).as(learn).isGreaterThanOrEqualTo(4);
            assertThat(again).contains("has been already learned as spam, ignore it");
            assertThat(stat).containsPattern("Statfile: BAYES_SPAM type: \\w+; .*learned: " + learned + ";");
            assertThat(scan).contains("Action: ").contains("Score: ").contains("Symbol: ");
            assertThat(history).contains("\"source\":\"cli\"").contains("\"source\":\"http\"");
        }
    }

    @Test
    void aHashFromMailsiftPwSurvivesTheConfigParser() throws Exception {
        Path etc = configWithFreePorts();
        String hash = org.mailsift.controller.security.PasswordHash.create("learn-secret", 1000);
        // override.d replaces the stock file (and local.d) entirely
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:0\";\n"
                + "enable_password = \"" + hash + "\";\n");

        ConfigDirectory config = ConfigDirectory.open(etc);
        org.mailsift.controller.ControllerSettings s = org.mailsift.controller.ControllerSettings.fromConfig(config);

        assertThat(s.controller().enablePassword().orElseThrow().isHashed()).isTrue();
        assertThat(s.controller().enablePassword().orElseThrow().matches("learn-secret")).isTrue();
        assertThat(config.warnings()).noneMatch(w -> w.contains("plaintext"));
    }
}
