package org.mailsift.scanner.maps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.policy.SettableClock;

/** HTTP maps against a real HTTP server on loopback: conditional GET, disk cache, fallback, failures, size cap. */
class HttpMapTest {
    private static final Duration INTERVAL = Duration.ofMinutes(5);
    @TempDir
    Path data;

    /** The retry after a failure is 20 intervals away: the test moves the clock. */
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T10:00:00Z"));

    private MapOptions options(long maxSize) {
        return new MapOptions(INTERVAL, data, maxSize, Duration.ofSeconds(30));
    }

    private HttpMap open(MapHttpServer server, Path fallback) {
        return HttpMap.open(server.url("/senders.map"), fallback, options(MapOptions.DEFAULT_MAX_SIZE), clock);
    }

    @Test
    void unchangedMapIsAnsweredNotModifiedAndANewVersionIsFetched() throws Exception {
        try (MapHttpServer server = new MapHttpServer("bad@example.com\n")) {
            HttpMap map = open(server, null);
            assertThat(map.content()).isNull();
            assertThat(map.check()).isTrue();
            assertThat(map.content().text()).isEqualTo("bad@example.com\n");

            assertThat(map.check()).isFalse();
            assertThat(server.notModifiedReplies()).isEqualTo(1);
            assertThat(server.fullReplies()).isEqualTo(1);

            server.publish("worse@example.com\n");
            assertThat(map.check()).isTrue();
            assertThat(map.content().text()).isEqualTo("worse@example.com\n");
            assertThat(map.content().version()).isEqualTo(2);
        }
    }

    @Test
    void restartWithTheServerDownStartsFromTheCachedCopyAndAsksConditionally() throws Exception {
        int port;
        try (MapHttpServer server = new MapHttpServer("bad@example.com\n")) {
            port = server.port();
            assertThat(open(server, null).check()).isTrue();
        }
        HttpMap restarted = HttpMap.open("http://127.0.0.1:" + port + "/senders.map", null,
                options(MapOptions.DEFAULT_MAX_SIZE), clock);
        assertThat(restarted.content().text()).isEqualTo("bad@example.com\n");
        assertThat(restarted.check()).isFalse(); // nobody listens: the cached entries stay
        assertThat(restarted.failures()).isEqualTo(1);
        assertThat(restarted.content().text()).isEqualTo("bad@example.com\n");

        try (MapHttpServer back = new MapHttpServer("bad@example.com\n", port)) {
            clock.advance(INTERVAL.multipliedBy(HttpMap.ERROR_MULTIPLIER));
            assertThat(restarted.check()).isFalse();
            assertThat(back.notModifiedReplies()).isEqualTo(1); // the cached ETag was sent: 304
        }
    }

    @Test
    void failingServerKeepsTheEntriesAndIsAskedAgainOnlyTwentyIntervalsLater() throws Exception {
        try (MapHttpServer server = new MapHttpServer("bad@example.com\n")) {
            HttpMap map = open(server, null);
            map.check();
            server.answerWith(503);
            assertThat(map.check()).isFalse();
            assertThat(map.failures()).isEqualTo(1);
            int asked = server.requests();

            clock.advance(INTERVAL.multipliedBy(HttpMap.ERROR_MULTIPLIER - 1));
            assertThat(map.check()).isFalse();
            assertThat(server.requests()).isEqualTo(asked);

            server.answerWith(200);
            server.publish("new@example.com\n");
            clock.advance(INTERVAL);
            assertThat(map.check()).isTrue();
            assertThat(map.content().text()).isEqualTo("new@example.com\n");
        }
    }

    @Test
    void emptyOrOversizedReplyIsRefusedAndTheLoadedVersionKept() throws Exception {
        try (MapHttpServer server = new MapHttpServer("bad@example.com\n")) {
            HttpMap map = HttpMap.open(server.url("/m"), null, options(100), clock);
            assertThat(map.check()).isTrue();
            server.publish("x@example.com\n".repeat(20));
            assertThat(map.check()).isFalse();
            assertThat(map.failures()).isEqualTo(1);
            assertThat(map.content().text()).isEqualTo("bad@example.com\n");

            clock.advance(INTERVAL.multipliedBy(HttpMap.ERROR_MULTIPLIER));
            server.publish("");
            assertThat(map.check()).isFalse();
            assertThat(map.failures()).isEqualTo(2);
            assertThat(map.content().text()).isEqualTo("bad@example.com\n");
        }
    }

    /** Rspamd's map server publishes .zst maps (its stock url_whitelist and greylist whitelist point to them). */
    @Test
    void zstdMapIsUnpackedAndADamagedOrBombedOneKeepsTheLoadedEntries() throws Exception {
        try (MapHttpServer server = new MapHttpServer("")) {
            server.publish(zstd("bad@example.com\nworse@example.com\n"));
            HttpMap map = HttpMap.open(server.url("/senders.map.zst"), null, options(1000), clock);
            assertThat(map.check()).isTrue();
            assertThat(map.content().text()).isEqualTo("bad@example.com\nworse@example.com\n");

            byte[] damaged = zstd("other@example.com\n".repeat(10));
            damaged[damaged.length / 2] ^= 0x55;
            damaged[damaged.length - 3] ^= 0x55;
            server.publish(damaged);
            assertThat(map.check()).isFalse();
            assertThat(map.failures()).isEqualTo(1);

            clock.advance(INTERVAL.multipliedBy(HttpMap.ERROR_MULTIPLIER));
            byte[] bomb = zstd("x".repeat(100_000));
            assertThat(bomb.length).as("small on the wire").isLessThan(1000);
            server.publish(bomb);
            assertThat(map.check()).as("unpacks past max_map_size").isFalse();
            assertThat(map.failures()).isEqualTo(2);
            assertThat(map.content().text()).isEqualTo("bad@example.com\nworse@example.com\n");
        }
    }

    @Test
    void zstdMapFileIsReadUnpacked() throws Exception {
        Path file = data.resolve("greylist_whitelist.inc.zst");
        Files.write(file, zstd("example.com\nexample.org\n"));
        assertThat(new MapFile(file).read().text()).isEqualTo("example.com\nexample.org\n");
    }

    private static byte[] zstd(String text) {
        byte[] in = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.airlift.compress.zstd.ZstdCompressor c = new io.airlift.compress.zstd.ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void fallbackFileIsReadWhenNothingIsCachedAndTheCachedCopyWinsOverIt() throws Exception {
        Path fallback = data.resolve("fallback.map");
        Files.writeString(fallback, "fallback@example.com\n");
        try (MapHttpServer server = new MapHttpServer("served@example.com\n")) {
            server.answerWith(500);
            HttpMap first = open(server, fallback);
            assertThat(first.content().text()).isEqualTo("fallback@example.com\n");
            assertThat(first.check()).isFalse();
            assertThat(first.content().text()).isEqualTo("fallback@example.com\n");

            server.answerWith(200);
            assertThat(open(server, fallback).check()).isTrue();
            assertThat(open(server, fallback).content().text()).isEqualTo("served@example.com\n");
        }
    }

    @Test
    void withoutADataDirectoryNothingIsCached() throws Exception {
        try (MapHttpServer server = new MapHttpServer("bad@example.com\n")) {
            HttpMap map = HttpMap.open(server.url("/m"), null, MapOptions.of(INTERVAL), clock);
            assertThat(map.check()).isTrue();
            assertThat(HttpMap.open(server.url("/m"), null, MapOptions.of(INTERVAL), clock).content()).isNull();
        }
    }
}
