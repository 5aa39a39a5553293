package org.mailsift.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.airlift.compress.zstd.ZstdCompressor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.security.Secret;

/** The HTTP surface as any Rspamd client (James, scripts, curl, Prometheus) sees it. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningController c;

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
    }

    private static byte[] message(String name) throws Exception {
        return Files.readAllBytes(Path.of(HttpApiTest.class.getResource("/messages/" + name).toURI()));
    }

    private HttpResponse<String> post(int port, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pingAnswersPong() throws Exception {
        c = RunningController.start();
        assertThat(get(c.normalPort(), "/ping").body()).isEqualTo("pong\r\n");
        assertThat(get(c.controllerPort(), "/ping").body()).isEqualTo("pong\r\n");
    }

    @Test
    void pathsAreCaseInsensitiveAndQueryParametersActAsHeaders() throws Exception {
        c = RunningController.start();

        HttpResponse<String> r = post(c.normalPort(), "/checkV2?From=promo@example.net&Rcpt=a@example.test&Rcpt=b@example.test",
                message("ham.eml"), "Accept", "application/msgpack");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("symbols").has("SUSPECT_SENDER")).isTrue();
        assertThat(c.scanner.envelopesSeen().get(0).rcptTo()).containsExactly("a@example.test", "b@example.test");
    }

    @Test
    void legacyCheckNestsTheVerdictUnderDefault() throws Exception {
        c = RunningController.start();

        JsonNode j = JSON.readTree(post(c.normalPort(), "//Symbols", message("gtube.eml")).body());

        assertThat(j.get("default").get("is_spam").asBoolean()).isTrue();
        assertThat(j.get("default").get("action").asText()).isEqualTo("reject");
    }

    @Test
    void zstdContentEncodingIsDecompressed() throws Exception {
        c = RunningController.start();
        byte[] raw = message("pills.eml");
        ZstdCompressor z = new ZstdCompressor();
        byte[] out = new byte[z.maxCompressedLength(raw.length)];
        int n = z.compress(raw, 0, raw.length, out, 0, out.length);
        byte[] compressed = java.util.Arrays.copyOf(out, n);

        HttpResponse<String> r = post(c.normalPort(), "/checkv2", compressed, "Content-Encoding", "zstd");

        assertThat(JSON.readTree(r.body()).get("action").asText()).isEqualTo("add header");
    }

    @Test
    void learnAnswersSuccessThen208ThenRelearnsIntoTheOtherClass() throws Exception {
        c = RunningController.start(w -> w.withPasswords(java.util.Optional.empty(), Secret.of("enable")));
        byte[] m = message("pills.eml");

        HttpResponse<String> first = post(c.controllerPort(), "/learnspam", m, "Password", "enable");
        HttpResponse<String> again = post(c.controllerPort(), "/learnspam", m, "Password", "enable");
        HttpResponse<String> other = post(c.controllerPort(), "/learnham", m, "Password", "enable");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"success\":true}");
        assertThat(again.statusCode()).isEqualTo(208);
        assertThat(again.body()).isEqualTo("{\"error\":\"<pills-1@pills.example.net> has been already learned as spam, ignore it\"}");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(c.learner.statistics().spamLearns()).isZero();
        assertThat(c.learner.statistics().hamLearns()).isEqualTo(1);
        assertThat(c.metrics.renderPrometheus()).contains("mailsift_learns_total{class=\"spam\",outcome=\"already_learned\"} 1.0");
    }

    @Test
    void emptyLearnBodyIsABadRequest() throws Exception {
        c = RunningController.start(w -> w.withPasswords(java.util.Optional.empty(), Secret.of("enable")));

        HttpResponse<String> r = post(c.controllerPort(), "/learnham", new byte[0], "Password", "enable");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"Empty body is not permitted\"}");
    }

    @Test
    void unknownPathIs404WithJsonError() throws Exception {
        c = RunningController.start();

        HttpResponse<String> r = get(c.controllerPort(), "/nosuch");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("nosuch");
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        c = RunningController.startWith(withSmallBodies());

        HttpResponse<String> r = post(c.normalPort(), "/checkv2", new byte[5000]);

        assertThat(r.statusCode()).isEqualTo(413);
    }

    private static org.mailsift.controller.ControllerSettings withSmallBodies() {
        var s = org.mailsift.controller.ControllerSettings.defaults();
        var free = org.mailsift.core.config.BindSocket.parse("127.0.0.1:0");
        return s.with(s.normal().withBinds(free).withLimits(1024, 60_000), s.controller().withBinds(free).withLimits(1024, 300));
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        c = RunningController.startWith(withSmallBodies());
        try (Socket s = new Socket("127.0.0.1", c.controllerPort())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            int read = s.getInputStream().read();  // we send nothing: the server must hang up
            assertThat(read).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1e6).isLessThan(4000);
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        c = RunningController.start();
        try (Socket s = new Socket("127.0.0.1", c.normalPort())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[1024];
                int n = in.read(buf);
                assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK").endsWith("pong\r\n");
            }
        }
    }

    @Test
    void metricsExposeScansByActionAndLatency() throws Exception {
        c = RunningController.start();
        post(c.normalPort(), "/checkv2", message("pills.eml"));
        post(c.normalPort(), "/checkv2", message("gtube.eml"));

        String metrics = get(c.normalPort(), "/metrics").body();

        assertThat(metrics)
                .contains("mailsift_scans_total{action=\"add header\",source=\"http\"} 1.0")
                .contains("mailsift_scans_total{action=\"reject\",source=\"http\"} 1.0")
                .contains("mailsift_scan_duration_seconds_count 2")
                .contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void historyListsRecentScansNewestFirst() throws Exception {
        c = RunningController.start();
        post(c.normalPort(), "/checkv2", message("ham.eml"), "From", "alice@example.org", "Rcpt", "bob@example.test");
        post(c.normalPort(), "/checkv2", message("pills.eml"));

        JsonNode rows = JSON.readTree(get(c.controllerPort(), "/history").body());

        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.get(0).get("action").asText()).isEqualTo("add header");
        assertThat(rows.get(0).get("subject").asText()).isEqualTo("Cheap viagra today");
        assertThat(rows.get(0).get("symbols").has("PILL_WORD")).isTrue();
        assertThat(rows.get(1).get("from").asText()).isEqualTo("alice@example.org");
        assertThat(rows.get(1).get("rcpt").get(0).asText()).isEqualTo("bob@example.test");
        assertThat(rows.get(1).get("size").asInt()).isEqualTo(message("ham.eml").length);

        assertThat(post(c.controllerPort(), "/historyreset", new byte[0]).statusCode()).as("a write, even from secure_ip").isEqualTo(401);
        c.server.reloadAccess(c.server.settings().controller().withGuards(
                c.server.settings().controller().guards().withTrustedWrites(org.mailsift.controller.security.AccessGuard.TrustedWrites.ALL)));
        assertThat(post(c.controllerPort(), "/historyreset", new byte[0]).statusCode()).as("secure_ip_writes = all").isEqualTo(200);
        assertThat(JSON.readTree(get(c.controllerPort(), "/history").body()).size()).isZero();
    }

    @Test
    void repeatedAuthenticationFailuresAreThrottled() throws Exception {
        c = RunningController.withPasswords("read", "enable");
        int lastStatus = 0;
        for (int i = 0; i < 12; i++) {
            lastStatus = get(c.controllerPort(), "/stat", "Password", "wrong" + i).statusCode();
        }
        HttpResponse<String> correct = get(c.controllerPort(), "/stat", "Password", "read");
        HttpResponse<String> wrongAgain = get(c.controllerPort(), "/stat", "Password", "wrong");

        assertThat(lastStatus).isEqualTo(429);
        assertThat(correct.statusCode()).as("the right password is checked before the throttle counts").isEqualTo(200);
        assertThat(wrongAgain.statusCode()).isEqualTo(429);
    }

    @Test
    void passwordMayComeAsQueryParameter() throws Exception {
        c = RunningController.withPasswords("read", "enable");

        assertThat(get(c.controllerPort(), "/stat?password=read").statusCode()).isEqualTo(200);
        assertThat(get(c.controllerPort(), "/actions").statusCode()).isEqualTo(401);
    }

    @Test
    void forwardedRequestsFromLoopbackStillNeedAPassword() throws Exception {
        c = RunningController.start(w -> w.withPasswords(Secret.of("read"), Secret.of("enable")));

        assertThat(get(c.controllerPort(), "/stat").statusCode()).isEqualTo(200);
        assertThat(get(c.controllerPort(), "/stat", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(401);
    }

    @Test
    void actionsListsThresholds() throws Exception {
        c = RunningController.start();

        JsonNode a = JSON.readTree(get(c.controllerPort(), "/actions").body());

        assertThat(a.toString()).contains("{\"action\":\"reject\",\"value\":15.0}").contains("{\"action\":\"greylist\",\"value\":4.0}");
        assertThat(List.of(a.get(0).get("action").asText())).containsExactly("reject");
    }

    @Test
    void saveActionsWritesLocalActionsConfButNeverOverAHandWrittenOne(@org.junit.jupiter.api.io.TempDir Path etc) throws Exception {
        var d = org.mailsift.controller.ControllerSettings.defaults();
        var free = org.mailsift.core.config.BindSocket.parse("127.0.0.1:0");
        Path actionsConf = etc.resolve("local.d/actions.conf");
        c = RunningController.startWith(new org.mailsift.controller.ControllerSettings(d.normal().withBinds(free),
                d.controller().withBinds(free).withPasswords(java.util.Optional.empty(), Secret.of("enable")), d.thresholds(), actionsConf));

        HttpResponse<String> saved = post(c.controllerPort(), "/saveactions", "[20, null, 7.5, 5]".getBytes(StandardCharsets.UTF_8),
                "Password", "enable");
        HttpResponse<String> bad = post(c.controllerPort(), "/saveactions", "[1, 2]".getBytes(StandardCharsets.UTF_8), "Password", "enable");

        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(Files.readString(actionsConf)).contains("reject = 20.0;").contains("rewrite_subject = null;")
                .contains("add_header = 7.5;").contains("greylist = 5.0;");
        assertThat(get(c.controllerPort(), "/actions").body()).contains("{\"action\":\"add header\",\"value\":7.5}");
        assertThat(bad.statusCode()).isEqualTo(400);

        Files.writeString(actionsConf, "reject = 12;\n");
        assertThat(post(c.controllerPort(), "/saveactions", "[20, null, 7.5, 5]".getBytes(StandardCharsets.UTF_8), "Password", "enable")
                .statusCode()).isEqualTo(409);
        assertThat(Files.readString(actionsConf)).isEqualTo("reject = 12;\n");
    }
}
