package org.mailsift.controller.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.controller.WorkerSettings;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.security.Secret;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;

/** The web interface's page, files and endpoints on a running controller with a real configuration directory. */
class WebUiEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private RunningController c;
    private DirectoryConfig config;

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
    }

    /** The configuration page's view of a directory: re-read on apply, which fails when a file does not parse. */
    private static final class DirectoryConfig implements ConfigAccess {
        final Path etc;
        volatile ConfigDirectory current;
        final AtomicInteger applied = new AtomicInteger();
        volatile String refuse;

        DirectoryConfig(Path etc) {
            this.etc = etc;
            this.current = ConfigDirectory.open(etc).withDynamicDirectory(etc.resolveSibling("data").resolve("dynamic"));
        }

        @Override
        public ConfigSource configuration() {
            return current;
        }

        @Override
        public List<SymbolInfo> symbols() {
            UclObject groups = current.section("groups");
            List<SymbolInfo> out = new ArrayList<>();
            for (String name : List.of("R_SUSPICIOUS_URL", "MIME_GOOD")) {
                double w = groups.getObject("symbols").flatMap(s -> s.getObject(name))
                        .map(o -> o.getDouble("weight", 1.0)).orElse(name.equals("MIME_GOOD") ? -0.1 : 5.0);
                out.add(new SymbolInfo(name, name.startsWith("R_") ? "url" : "mime_types", w, "test symbol"));
            }
            return out;
        }

        @Override
        public Map<Action, Double> thresholds() {
            Map<Action, Double> t = new EnumMap<>(Action.class);
            UclObject a = current.section("actions");
            for (Action act : List.of(Action.REJECT, Action.ADD_HEADER, Action.GREYLIST, Action.REWRITE_SUBJECT)) {
                a.getScalar(act.configKey()).filter(v -> !v.isNull()).ifPresent(v -> t.put(act, v.asDouble()));
            }
            return t;
        }

        @Override
        public void apply() {
            if (refuse != null) {
                throw new IllegalStateException(refuse);
            }
            ConfigDirectory fresh = current.reopened();
            fresh.configFiles().forEach(fresh::parse);
            fresh.sectionNames().forEach(fresh::section);
            current = fresh;
            applied.incrementAndGet();
        }
    }

    private void start() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("actions.conf"), "reject = 15;\nadd_header = 6;\ngreylist = 4;\n");
        Files.writeString(etc.resolve("groups.conf"), "group \"url\" { max_score = 9; }\n");
        Files.writeString(etc.resolve("redis.conf"), "servers = \"127.0.0.1\";\npassword = \"redis-secret\";\n");
        config = new DirectoryConfig(etc);
        List<org.mailsift.core.config.BindSocket> free = org.mailsift.core.config.BindSocket.parse("127.0.0.1:0");
        ControllerSettings d = ControllerSettings.defaults();
        WorkerSettings controller = d.controller().withBinds(free).withSecureIps(List.of())
                .withPasswords(Secret.of("read"), Secret.of("enable"));
        ControllerSettings settings = new ControllerSettings(d.normal().withBinds(free), controller,
                config.thresholds(), config.current.savedSettingsDirectory().resolve("actions.conf"));
        c = RunningController.startWith(settings, new WebUi.Hooks(dir.resolve("data"), config.current.savedSettingsDirectory(), config));
    }

    private HttpResponse<String> send(String method, String path, String password, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + c.controllerHost() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (password != null) {
            b.header("Password", password);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageLoadsWithoutPasswordUnderAStrictPolicyAndRevalidatesByEtag() throws Exception {
        start();
        HttpResponse<String> page = send("GET", "/", null, null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://").doesNotContain("https://");
        String etag = page.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = send("GET", "/", null, null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        HttpResponse<String> chart = send("GET", "/webui/uplot.js", null, null);
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("uPlot");
        assertThat(send("GET", "/webui/uplot-license.txt", null, null).body()).contains("MIT License");
        assertThat(send("GET", "/webui/app.js", null, null).body()).doesNotContain("innerHTML").doesNotContain("eval(");
        assertThat(send("GET", "/stat", null, null).statusCode()).as("data still needs the password").isEqualTo(401);
    }

    @Test
    void authTellsAReadOnlyLoginFromAnEnableOneAndTheUploadLimit() throws Exception {
        start();
        JsonNode read = JSON.readTree(send("GET", "/auth", "read", null).body());
        JsonNode enable = JSON.readTree(send("GET", "/auth", "enable", null).body());

        assertThat(read.path("read_only").asBoolean()).isTrue();
        assertThat(enable.path("read_only").asBoolean()).isFalse();
        assertThat(enable.path("max_body_bytes").asLong()).isPositive();
        assertThat(send("GET", "/auth", "wrong", null).statusCode()).isEqualTo(401);
    }

    @Test
    void throttledLoginsAreToldHowLongToWait() throws Exception {
        start();
        HttpResponse<String> last = null;
        for (int i = 0; i < 12; i++) {
            last = send("GET", "/auth", "guess" + i, null);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        assertThat(last.body()).contains("retry in");
    }

    @Test
    void aLoginWithoutPasswordIsNoGuessAndDoesNotFillTheThrottle() throws Exception {
        start();
        for (int i = 0; i < 15; i++) {
            assertThat(send("GET", "/auth", null, null).statusCode()).isEqualTo(401);
        }
        assertThat(send("GET", "/auth", "read", null).statusCode()).isEqualTo(200);
    }

    @Test
    void graphAndPieHaveRspamdsShapes() throws Exception {
        start();
        c.scanner.scan("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), Envelope.EMPTY);
        JsonNode graph = JSON.readTree(send("GET", "/graph?type=hourly", "read", null).body());
        JsonNode pie = JSON.readTree(send("GET", "/pie", "read", null).body());

        assertThat(graph.size()).isEqualTo(6);
        JsonNode clean = graph.get(5);
        assertThat(clean.size()).isEqualTo(60);
        assertThat(clean.get(59).path("y").asDouble()).isEqualTo(1 / 60.0);
        assertThat(clean.get(59).path("x").asLong()).isLessThanOrEqualTo(System.currentTimeMillis() / 1000);
        assertThat(pie.size()).isEqualTo(6);
        assertThat(pie.get(0).path("label").asText()).isEqualTo("Clean");
        assertThat(pie.get(0).path("value").asLong()).isEqualTo(1);
        assertThat(send("GET", "/graph", "read", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/graph?type=yearly", "read", null).body()).contains("invalid graph type");
    }

    @Test
    void savedThresholdsAreAppliedAtOnceAndBadOnesSaveNothing() throws Exception {
        start();
        Path file = dir.resolve("data/dynamic/actions.conf");

        HttpResponse<String> outOfOrder = send("POST", "/saveactions", "enable", "[5, null, 8, 4]");
        HttpResponse<String> notNumber = send("POST", "/saveactions", "enable", "[\"x\", null, 6, 4]");
        HttpResponse<String> readOnly = send("POST", "/saveactions", "read", "[12, null, 6, 4]");
        assertThat(outOfOrder.statusCode()).isEqualTo(400);
        assertThat(outOfOrder.body()).contains("out of order");
        assertThat(notNumber.statusCode()).isEqualTo(400);
        assertThat(readOnly.statusCode()).isEqualTo(401);
        assertThat(file).doesNotExist();
        assertThat(config.applied).hasValue(0);

        assertThat(send("POST", "/saveactions", "enable", "[12, null, 6, 4]").statusCode()).isEqualTo(200);
        assertThat(config.applied).hasValue(1);
        assertThat(Files.readString(file)).contains("reject = 12.0;");
        assertThat(send("GET", "/actions", "read", null).body()).contains("{\"action\":\"reject\",\"value\":12.0}");
    }

    @Test
    void savedThresholdsGoToTheDataDirectoryAndWinOverTheAdminsFilesWhichStayUntouched() throws Exception {
        start();
        Path etc = dir.resolve("etc");
        Files.writeString(etc.resolve("local.d/actions.conf"), "reject = 14;\n");
        Files.createDirectories(etc.resolve("override.d"));
        Files.writeString(etc.resolve("override.d/actions.conf"), "reject = 13;\nadd_header = 6;\n");

        assertThat(send("POST", "/saveactions", "enable", "[12, null, 6, 4]").statusCode()).isEqualTo(200);

        assertThat(Files.readString(etc.resolve("local.d/actions.conf"))).isEqualTo("reject = 14;\n");
        assertThat(Files.readString(etc.resolve("override.d/actions.conf"))).isEqualTo("reject = 13;\nadd_header = 6;\n");
        assertThat(config.current.section("actions").getDouble("reject", 0)).isEqualTo(12.0);
        assertThat(send("GET", "/actions", "read", null).body()).contains("{\"action\":\"reject\",\"value\":12.0}");
    }

    @Test
    void whenTheNewConfigurationDoesNotLoadTheOldFileComesBack() throws Exception {
        start();
        Path file = dir.resolve("data/dynamic/actions.conf");
        assertThat(send("POST", "/saveactions", "enable", "[12, null, 6, 4]").statusCode()).isEqualTo(200);
        String before = Files.readString(file);
        config.refuse = "groups.conf:3:1: unexpected '}'";

        HttpResponse<String> r = send("POST", "/saveactions", "enable", "[20, null, 6, 4]");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("would not load").contains("groups.conf:3:1");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void symbolWeightsAreValidatedSavedToTheDynamicDirectoryAndApplied() throws Exception {
        start();
        Path file = dir.resolve("data/dynamic/groups.conf");
        assertThat(send("POST", "/savesymbols", "enable", "{not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"NO_SUCH\",\"value\":1}]").body()).contains("Unknown symbol NO_SUCH");
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"MIME_GOOD\",\"value\":\"lots\"}]").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"MIME_GOOD\",\"value\":1e9}]").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"x\\\"; }\",\"value\":1}]").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"MIME_GOOD\",\"value\":-0.1}]").statusCode())
                .as("nothing changed").isEqualTo(404);
        assertThat(file).doesNotExist();

        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"R_SUSPICIOUS_URL\",\"value\":2.5}]").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/savesymbols", "enable", "[{\"name\":\"MIME_GOOD\",\"value\":-1}]").statusCode()).isEqualTo(200);

        assertThat(Files.readString(file)).startsWith(WebUiEndpoints.SYMBOLS_MARKER)
                .contains("\"R_SUSPICIOUS_URL\" { weight = 2.5; }").contains("\"MIME_GOOD\" { weight = -1.0; }");
        JsonNode symbols = JSON.readTree(send("GET", "/symbols", "read", null).body());
        assertThat(symbols.toString()).contains("\"symbol\":\"R_SUSPICIOUS_URL\",\"weight\":2.5");
        assertThat(symbols.get(0).path("group").asText()).isEqualTo("mime_types");
    }

    @Test
    void aHandWrittenGroupsFileIsNeverOverwritten() throws Exception {
        start();
        Path file = dir.resolve("data/dynamic/groups.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# mine\n");

        HttpResponse<String> r = send("POST", "/savesymbols", "enable", "[{\"name\":\"MIME_GOOD\",\"value\":1}]");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Files.readString(file)).isEqualTo("# mine\n");
    }

    @Test
    void configDumpNamesTheFileOfEachValueAndHidesSecrets() throws Exception {
        start();
        assertThat(send("POST", "/saveactions", "enable", "[12, null, 6, 4]").statusCode()).isEqualTo(200);
        JsonNode dump = JSON.readTree(send("GET", "/configdump", "read", null).body());

        String all = dump.toString();
        assertThat(all).doesNotContain("redis-secret").contains("\"key\":\"redis.password\",\"value\":\"********\"");
        JsonNode reject = null;
        for (JsonNode s : dump.path("sections")) {
            for (JsonNode e : s.path("entries")) {
                if (e.path("key").asText().equals("actions.reject")) {
                    reject = e;
                }
            }
        }
        assertThat(reject).isNotNull();
        assertThat(reject.path("value").asText()).isIn("12", "12.0");
        assertThat(reject.path("file").asText()).endsWith("data/dynamic/actions.conf");
        assertThat(reject.path("line").asInt()).isPositive();
    }
}
