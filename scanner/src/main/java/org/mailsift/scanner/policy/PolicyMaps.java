package org.mailsift.scanner.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.scanner.maps.HttpMap;
import org.mailsift.scanner.maps.LiveList;
import org.mailsift.scanner.maps.MapFile;
import org.mailsift.scanner.maps.MapOptions;

/**
 * A list option of a policy module as Rspamd's lua_maps takes it: a list of entries, a string of comma-separated
 * entries ({@code whitelisted_rcpts = "postmaster,mailer-daemon"}), a file (absolute path, {@code file://},
 * {@code ${CONFDIR}} / {@code $LOCAL_CONFDIR} relative to the configuration directory) with one entry a line and
 * {@code #} comments, or an HTTP(S) map ({@code https://...}, with an optional {@code fallback+file://...}). Files
 * and HTTP maps are followed while the daemon runs ({@link LiveList#watch}).
 */
public final class PolicyMaps {
    private PolicyMaps() {
    }

    /** Option {@code key} of {@code section} as a live value: {@code absent} when it is not set. */
    public static <T> LiveList<T> live(ConfigSource config, UclObject section, String module, String key,
                                       List<String> absent, LiveList.Parser<T> parser) {
        MapOptions options = MapOptions.from(config);
        String name = module + " " + key;
        if (!section.has(key)) {
            return new LiveList<>(name, List.of(new LiveList.Entries(name, absent)), parser, Clock.systemUTC(),
                    options.settle(), config::warn);
        }
        String where = section.get(key).orElseThrow().position() + ": " + key + ": ";
        List<String> items = section.getStringList(key).stream().map(String::strip).toList();
        Path fallback = items.stream().filter(v -> v.startsWith("fallback+file://"))
                .map(v -> file(config, v.substring("fallback+".length())).orElse(null)).reduce((a, b) -> b).orElse(null);
        List<LiveList.Source> sources = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        for (String v : items) {
            if (HttpMap.isHttp(v)) {
                try {
                    sources.add(new LiveList.HttpSource(HttpMap.open(v, fallback, options, Clock.systemUTC())));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(section.get(key).orElseThrow().position(), key + ": " + e.getMessage());
                }
                continue;
            }
            if (v.startsWith("fallback+file://")) {
                continue;
            }
            Optional<Path> file = file(config, v);
            if (file.isPresent()) {
                sources.add(new LiveList.FileSource(new MapFile(file.get())));
                continue;
            }
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    inline.add(part.strip());
                }
            }
        }
        if (!inline.isEmpty()) {
            sources.add(0, new LiveList.Entries(where, inline));
        }
        return new LiveList<>(name, sources, parser, Clock.systemUTC(), options.settle(), w -> config.warn(where + w));
    }

    private static Optional<Path> file(ConfigSource config, String v) {
        String p = v.startsWith("file://") ? v.substring(7) : v;
        String dir = config.directory().toString();
        p = p.replace("${LOCAL_CONFDIR}", dir).replace("$LOCAL_CONFDIR", dir).replace("${CONFDIR}", dir)
                .replace("$CONFDIR", dir);
        return p.startsWith("/") ? Optional.of(Path.of(p)) : Optional.empty();
    }
}
