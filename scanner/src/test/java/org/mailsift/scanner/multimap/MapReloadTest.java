package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.maps.MapWatcher;

/** Map files change under a running engine: reloads, and what keeps the running entries. */
class MapReloadTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    /** A clock far after every file's mtime, so no change counts as "still being written". */
    private static final Clock LATER = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);

    private LiveMap fileMap(Path file, MapData.Kind kind, Clock clock) {
        return new LiveMap("TEST", kind, false, List.of(new MapSource.File(file)), clock, Duration.ofSeconds(1),
                warnings::add);
    }

    /** Writes {@code text} with an mtime {@code secondsAgo} in the past (a new version is always visible). */
    private static void write(Path file, String text, long mtimeMillis) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(mtimeMillis));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void editedMapFileIsReloadedAndUnchangedOneIsNot() throws Exception {
        Path f = dir.resolve("senders.map");
        write(f, "old@example.com\n", 1_000_000);
        LiveMap map = fileMap(f, MapData.Kind.HASH, LATER);
        assertThat(map.data().lookup("old@example.com")).isNotEmpty();
        assertThat(map.refresh()).isFalse();

        write(f, "new@example.com BAD:3\n", 2_000_000);
        assertThat(map.refresh()).isTrue();
        assertThat(map.data().lookup("old@example.com")).isEmpty();
        assertThat(map.data().lookup("NEW@example.com")).containsExactly("BAD:3");
        assertThat(map.reloads()).isEqualTo(1);
    }

    @Test
    void mapFileThatDisappearsKeepsTheLoadedEntries() throws Exception {
        Path f = dir.resolve("nets.map");
        write(f, "192.0.2.0/24\n", 1_000_000);
        LiveMap map = fileMap(f, MapData.Kind.RADIX, LATER);
        Files.delete(f);
        assertThat(map.refresh()).isFalse();
        assertThat(map.data().lookup("192.0.2.55")).isNotEmpty();
        // it comes back changed: loaded again
        write(f, "198.51.100.1\n", 3_000_000);
        assertThat(map.refresh()).isTrue();
        assertThat(map.data().lookup("198.51.100.1")).isNotEmpty();
        assertThat(map.data().lookup("192.0.2.55")).isEmpty();
    }

    @Test
    void fileChangedJustNowWaitsForTheWriterToFinish() throws Exception {
        Path f = dir.resolve("senders.map");
        write(f, "old@example.com\n", 1_000_000);
        MovableClock clock = new MovableClock(5_000_200);
        LiveMap map = fileMap(f, MapData.Kind.HASH, clock);
        // a writer truncated the file a moment ago and is still writing: the running entries stay
        write(f, "", 5_000_000);
        assertThat(map.refresh()).isFalse();
        assertThat(map.data().lookup("old@example.com")).isNotEmpty();
        write(f, "old@example.com\nnew@example.com\n", 5_000_100);
        assertThat(map.refresh()).isFalse();
        // a second later the file is complete and settled: loaded
        clock.now = 6_500_000;
        assertThat(map.refresh()).isTrue();
        assertThat(map.data().size()).isEqualTo(2);
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile long now;

        MovableClock(long now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    }

    @Test
    void badLinesInAReloadedFileAreSkippedAndTheRestApplies() throws Exception {
        Path f = dir.resolve("re.map");
        write(f, "/good/\n", 1_000_000);
        LiveMap map = fileMap(f, MapData.Kind.REGEXP, LATER);
        write(f, "/better/ SYM:2\n/(broken/\n", 2_000_000);
        assertThat(map.refresh()).isTrue();
        assertThat(map.data().lookup("even better")).containsExactly("SYM:2");
        assertThat(map.data().size()).isEqualTo(1);
    }

    @Test
    void millionLineMapLoadsAndMatches() throws Exception {
        Path hash = dir.resolve("million.map");
        Path nets = dir.resolve("million-nets.map");
        StringBuilder h = new StringBuilder(30_000_000);
        StringBuilder n = new StringBuilder(20_000_000);
        h.append("# a big list\n");
        for (int i = 0; i < 1_000_000; i++) {
            h.append("user").append(i).append("@spam-").append(i % 977).append(".example\n");
            n.append(10 + (i >> 16 & 0x7f)).append('.').append(i >> 8 & 0xff).append('.').append(i & 0xff).append(".0/24\n");
        }
        write(hash, h.toString(), 1_000_000);
        write(nets, n.toString(), 1_000_000);
        LiveMap hashMap = fileMap(hash, MapData.Kind.HASH, LATER);
        LiveMap netMap = fileMap(nets, MapData.Kind.RADIX, LATER);
        assertThat(hashMap.data().size()).isEqualTo(1_000_000);
        assertThat(hashMap.data().lookup("user999999@spam-" + 999_999 % 977 + ".example")).isNotEmpty();
        assertThat(hashMap.data().lookup("user1000000@spam-1.example")).isEmpty();
        assertThat(netMap.data().size()).isEqualTo(1_000_000);
        assertThat(netMap.data().lookup("10.0.0.77")).isNotEmpty();
        assertThat(netMap.data().lookup("9.0.0.1")).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void watcherReloadsByItselfAndStopsWhenTheRuleIsClosed() throws Exception {
        Path f = dir.resolve("senders.map");
        write(f, "old@example.com\n", 1_000_000);
        LiveMap map = fileMap(f, MapData.Kind.HASH, LATER);
        MapWatcher.Registration watch = MapWatcher.watch(map::refresh, "TEST", Duration.ofMillis(20));
        try {
            write(f, "new@example.com\n", 2_000_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> map.reloads() >= 1);
            assertThat(map.data().lookup("new@example.com")).isNotEmpty();
        } finally {
            watch.close();
        }
        assertThat(watch.stopped()).isTrue();
    }
}
