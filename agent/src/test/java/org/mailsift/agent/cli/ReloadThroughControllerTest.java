package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;

/**
 * A daemon started with SIGHUP ignored (as under nohup) cannot be reloaded by a signal: it says so at start, and
 * `mailsift reload` reloads it through the controller's /reload, which needs the enable password from a peer outside
 * secure_ip.
 */
class ReloadThroughControllerTest {
    @TempDir
    Path dir;
    Process daemon;
    Path log;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy(); // SIGTERM: a clean stop
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    Path config(int controller, String controllerExtra) throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:" + org.mailsift.testsupport.FreePort.onLoopback() + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:" + org.mailsift.testsupport.FreePort.onLoopback() + "\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"),
                "bind_socket = \"127.0.0.1:" + controller + "\";\n" + controllerExtra);
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "enabled = false;\n");
        return etc;
    }

    void startWithSighupIgnored(Path etc, int controller) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        log = dir.resolve("daemon.log");
        daemon = new ProcessBuilder("env", "--ignore-signal=HUP", java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "-c", etc.toString(), "--dbdir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // wait for exactly what the test needs: the controller answering
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(() -> {
                    assertThat(daemon.isAlive()).as("the daemon died: %s", Files.readString(log)).isTrue();
                    return get(controller, "/ping").statusCode() == 200;
                });
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The thresholds a scan through the controller reports (they come from the running scan engine). */
    String thresholds(int port, String password) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkv2"))
                .POST(HttpRequest.BodyPublishers.ofString("Subject: hi\r\nMessage-ID: <r@x>\r\n\r\nhello\r\n"));
        if (password != null) {
            b.header("Password", password);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String body = r.body();
        int at = body.indexOf("\"thresholds\"");
        return body.substring(at, body.indexOf('}', at) + 1);
    }

    CliRun mailsift(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aDaemonStartedWithSighupIgnoredWarnsAndReloadsThroughTheController() throws Exception {
        int port = org.mailsift.testsupport.FreePort.onLoopback();
        // a write endpoint: with the enable password, which a trusted (secure_ip) peer may also be asked for
        Path etc = config(port, "secure_ip = \"127.0.0.1\";\nenable_password = \"admin-pw\";\n");
        startWithSighupIgnored(etc, port);
        assertThat(Files.readString(log)).contains("SIGHUP was ignored when the daemon started");
        assertThat(thresholds(port, null)).doesNotContain("7.25");

        Files.writeString(etc.resolve("local.d/actions.conf"), "add_header = 7.25;\n");
        Path pw = Files.writeString(dir.resolve("admin.pw"), "admin-pw\n");
        CliRun reload = mailsift("reload", "-c", etc.toString(), "--password-file", pw.toString());

        assertThat(reload.exit()).as(reload.err()).isZero();
        assertThat(reload.out()).contains("configuration reloaded");
        assertThat(thresholds(port, null)).as("the scan engine was rebuilt from the new actions").contains("7.25");
    }

    @Test
    void fromOutsideSecureIpReloadNeedsTheEnablePassword() throws Exception {
        int port = org.mailsift.testsupport.FreePort.onLoopback();
        Path etc = config(port, "secure_ip = \"192.0.2.1\";\npassword = \"reader\";\nenable_password = \"admin-pw\";\n");
        startWithSighupIgnored(etc, port);
        Files.writeString(etc.resolve("local.d/actions.conf"), "add_header = 7.25;\n");

        CliRun refused = mailsift("reload", "-c", etc.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("401").contains("enable password");
        Path wrong = Files.writeString(dir.resolve("reader.pw"), "reader\n");
        assertThat(mailsift("reload", "-c", etc.toString(), "--password-file", wrong.toString()).exit())
                .as("the read-only password is not enough").isEqualTo(1);

        Path pw = Files.writeString(dir.resolve("admin.pw"), "admin-pw\n");
        CliRun reload = mailsift("reload", "-c", etc.toString(), "--password-file", pw.toString());
        assertThat(reload.exit()).as(reload.err()).isZero();
        assertThat(thresholds(port, "reader")).contains("7.25");
    }

    @Test
    void withNoDaemonRunningReloadSaysSo() throws Exception {
        Path etc = config(org.mailsift.testsupport.FreePort.onLoopback(), "");
        CliRun reload = mailsift("reload", "-c", etc.toString());
        assertThat(reload.exit()).isEqualTo(69);
        assertThat(reload.err()).contains("no daemon answers");
        assertThat(List.of(reload.out())).doesNotContain("configuration reloaded");
    }
}
