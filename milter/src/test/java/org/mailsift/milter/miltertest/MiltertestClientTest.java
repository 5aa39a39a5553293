package org.mailsift.milter.miltertest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.TestScanner;
import org.mailsift.milter.server.MilterServer;

/**
 * Debian's {@code miltertest} (OpenDKIM's independent milter client, scripted in Lua) against our server: a second
 * implementation of the MTA side besides Postfix, so our encoder is not the only judge of our decoder.
 */
class MiltertestClientTest {
    private static final Path MILTERTEST = Path.of("/usr/bin/miltertest");
    private static MilterServer server;
    private static int port;
    private static final TestScanner SCANNER = new TestScanner("Gtube pattern");

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MILTERTEST), "miltertest not installed");
        server = new MilterServer(MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0))), SCANNER,
                new Metrics());
        port = ((InetSocketAddress) server.start().get(0)).getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String run(String kind) throws IOException, InterruptedException {
        Path script = dir.resolve("mailsift-milter.lua");
        try (InputStream in = MiltertestClientTest.class.getResourceAsStream("/miltertest/mailsift-milter.lua")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(MILTERTEST.toString(), "-D", "port=" + port, "-D", "kind=" + kind, "-s", script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("miltertest output:\n%s", out).isZero();
        return out;
    }

    @Test
    void hamIsAcceptedWithTheResultHeader() throws Exception {
        assertThat(run("HAM")).contains("reply ACCEPT", "added X-Spamd-Result: default: False [0.50 / 15.00]; CLEAN(0.50)", "OK");
        assertThat(SCANNER.envelopes).anySatisfy(e -> {
            assertThat(e.queueId()).isEqualTo("MTQIDHAM");
            assertThat(e.clientIp()).isEqualTo("192.0.2.10");
            assertThat(e.tlsVersion()).isEqualTo("TLSv1.3");
            assertThat(e.mtaName()).isEqualTo("mx.example.test");
        });
    }

    @Test
    void gtubeIsRejectedWithAReplyCode() throws Exception {
        assertThat(run("GTUBE")).contains("reply REPLYCODE", "OK");
    }

    @Test
    void addHeaderAddsXSpamOnce() throws Exception {
        assertThat(run("ADDHEADER")).contains("reply ACCEPT", "added X-Spam: Yes", "OK").doesNotContain("changed X-Spam: Yes");
    }

    @Test
    void aSpoofedXSpamIsDeleted() throws Exception {
        assertThat(run("SPOOFED")).contains("reply ACCEPT", "deleted X-Spam", "OK").doesNotContain("changed X-Spam: Yes").doesNotContain("added X-Spam: Yes");
    }
}
