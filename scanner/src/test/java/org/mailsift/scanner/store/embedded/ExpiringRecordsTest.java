package org.mailsift.scanner.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.policy.SettableClock;

class ExpiringRecordsTest {
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));

    private static void put(ExpiringRecords r, String key, String value, long ttlMillis) {
        r.atomically(v -> {
            v.put(key, value, v.nowMillis() + ttlMillis);
            return null;
        });
    }

    private static String get(ExpiringRecords r, String key) {
        return r.atomically(v -> v.get(key) == null ? null : v.get(key).value());
    }

    @Test
    void aTornLastRecordIsDroppedAndTheRestKept() throws Exception {
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 100, clock)) {
            put(r, "a", "1", 60_000);
            put(r, "b", "2", 60_000);
        }
        Path file = dir.resolve("t.records");
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // a write cut by a crash
        }
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 100, clock)) {
            assertThat(get(r, "a")).isEqualTo("1");
            assertThat(get(r, "b")).isNull();
            put(r, "c", "3", 60_000);
        }
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 100, clock)) {
            assertThat(get(r, "c")).isEqualTo("3");
        }
    }

    @Test
    void aFullStoreDropsExpiredRecordsThenThoseThatExpireSoonest() {
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 10, clock)) {
            for (int i = 0; i < 10; i++) {
                put(r, "k" + i, "v", 1_000L * (i + 1));
            }
            put(r, "new", "v", 60_000);
            assertThat(r.size()).isEqualTo(10);
            assertThat(get(r, "k0")).isNull();
            assertThat(get(r, "k9")).isEqualTo("v");
            assertThat(get(r, "new")).isEqualTo("v");
            clock.advance(Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) {
                put(r, "later" + i, "v", 60_000);
            }
            assertThat(r.size()).isLessThanOrEqualTo(10);
            assertThat(get(r, "new")).isEqualTo("v");
        }
    }

    @Test
    void theFileIsRewrittenWhenItHoldsMostlyDeadRecords() throws Exception {
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 1_000, clock)) {
            String big = "x".repeat(1_000);
            for (int i = 0; i < 20_000; i++) {
                put(r, "same", big + i, 60_000); // one live record, rewritten 20,000 times
            }
            assertThat(Files.size(dir.resolve("t.records"))).isLessThan(5L << 20);
            assertThat(get(r, "same")).isEqualTo(big + 19_999);
        }
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 1_000, clock)) {
            assertThat(get(r, "same")).endsWith("19999");
        }
    }

    @Test
    void oneProcessHoldsTheFile() {
        try (ExpiringRecords r = ExpiringRecords.open(dir, "t", 10, clock)) {
            assertThatThrownBy(() -> ExpiringRecords.open(dir, "t", 10, clock)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("in use");
        }
    }
}
