package org.mailsift.scanner.maps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * How every module's maps are loaded, from {@code options.inc} as in Rspamd: {@code map_watch_interval} (5 min: how
 * often map files are checked and HTTP maps asked for a newer version), {@code maps_cache_dir} (where the last good
 * copy of each HTTP map is kept; Rspamd's default is its database directory, here the data directory) and
 * {@code max_map_size} (256 MB, as newer Rspamd versions: a larger HTTP map is refused, the loaded one kept).
 *
 * @param cacheDirectory null: HTTP maps are not cached on disk (no data directory: configtest, unit tests)
 */
public record MapOptions(Duration watchInterval, Path cacheDirectory, long maxSize, Duration timeout) {
    public static final String WATCH_INTERVAL_KEY = "map_watch_interval";
    public static final String CACHE_DIR_KEY = "maps_cache_dir";
    public static final String MAX_SIZE_KEY = "max_map_size";
    /** options.inc keys read here. */
    public static final Set<String> KEYS = Set.of(WATCH_INTERVAL_KEY, CACHE_DIR_KEY, MAX_SIZE_KEY);
    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_SIZE = 256L * 1024 * 1024;
    /** How long one HTTP request may take (connect and whole reply). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Options with no disk cache (tests, tools without a data directory). */
    public static MapOptions of(Duration watchInterval) {
        return new MapOptions(watchInterval, null, DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT);
    }

    public static MapOptions from(ConfigSource config) {
        UclObject options = config.section("options");
        if (options.keys().size() == 1 && options.has("options")) {
            options = options.getObject("options").orElse(options);
        }
        Duration interval = Duration.ofMillis(options.getMillis(WATCH_INTERVAL_KEY, DEFAULT_WATCH_INTERVAL.toMillis()));
        Path cache = config.dataDirectory();
        String dir = options.getString(CACHE_DIR_KEY, null);
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir.strip());
            cache = p.isAbsolute() || config.directory() == null ? p : config.directory().resolve(p);
        }
        long max = options.getLong(MAX_SIZE_KEY, DEFAULT_MAX_SIZE);
        return new MapOptions(interval, cache, max <= 0 ? Long.MAX_VALUE : max, DEFAULT_TIMEOUT);
    }

    /** Changes to a map file younger than this are left for the next check (a writer may still be at it). */
    public Duration settle() {
        return watchInterval.compareTo(Duration.ofSeconds(1)) < 0 ? watchInterval : Duration.ofSeconds(1);
    }
}
