package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.maps.MapHttpServer;

/** multimap.conf with a map served over HTTP by a real server: followed without restart, cached on disk. */
class HttpMultimapTest {
    @TempDir
    Path etc;
    @TempDir
    Path data;

    private static final byte[] MESSAGE = """
            From: Alice <alice@sender.example>
            To: bob@example.org
            Subject: hello
            Message-ID: <h1@sender.example>

            hi
            """.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    private static Envelope env(String from) {
        return Envelope.builder().clientIp("198.51.100.7").mailFrom(from).addRcpt("bob@example.org").build();
    }

    private ScanEngine engine(String url) throws Exception {
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("local.d/options.inc"), "map_watch_interval = 0.05s;\n");
        Files.writeString(etc.resolve("local.d/multimap.conf"), """
                BAD_SENDER {
                  type = "from";
                  map = "%s";
                  score = 5;
                }
                """.formatted(url));
        return EngineFactory.create(ConfigDirectory.open(etc).withDynamicDirectory(data.resolve("dynamic")), List.of());
    }

    private static boolean hits(ScanEngine engine, String from) {
        ScanResult r = engine.scan(MESSAGE, env(from));
        return r.symbols().stream().anyMatch(s -> s.name().equals("BAD_SENDER"));
    }

    private long cachedCopies() throws Exception {
        try (var files = Files.list(data)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".map")).count();
        }
    }

    @Test
    void mapEditedOnTheServerIsFollowedWithoutRestart() throws Exception {
        try (MapHttpServer server = new MapHttpServer("spammer@bad.example\n");
             ScanEngine engine = engine(server.url("/bad_senders.map"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> hits(engine, "spammer@bad.example"));
            assertThat(hits(engine, "other@bad.example")).isFalse();

            server.publish("other@bad.example\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> hits(engine, "other@bad.example"));
            assertThat(hits(engine, "spammer@bad.example")).isFalse();
            await().atMost(Duration.ofSeconds(60)).until(() -> server.notModifiedReplies() > 0);
        }
    }

    @Test
    void restartWithTheServerDownUsesTheDiskCache() throws Exception {
        String url;
        try (MapHttpServer server = new MapHttpServer("spammer@bad.example\n");
             ScanEngine engine = engine(server.url("/bad_senders.map"))) {
            url = server.url("/bad_senders.map");
            await().atMost(Duration.ofSeconds(60)).until(() -> cachedCopies() == 1 && hits(engine, "spammer@bad.example"));
        }
        try (ScanEngine restarted = engine(url)) {
            assertThat(hits(restarted, "spammer@bad.example")).isTrue();
        }
    }
}
