package org.mailsift.scanner.multimap;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.maps.MapOptions;
import org.mailsift.scanner.maps.MapWatcher;

/**
 * A map another module reads (rbl's {@code whitelist} and {@code url_whitelist}), written and loaded exactly as a
 * multimap map: entries inline, files / {@code file://} URLs re-read when they change, or http(s):// maps fetched in
 * the background ({@link org.mailsift.scanner.maps.HttpMap}), on the shared watch thread and with the same rules (a
 * source that disappears, fails or is being written keeps the running entries). Closing it stops the watching.
 */
public final class WatchedMap implements AutoCloseable {
    private final LiveMap map;
    private MapWatcher.Registration registration;

    private WatchedMap(LiveMap map) {
        this.map = map;
    }

    /**
     * @param networks a radix map of IPv4 / IPv6 networks (else a set of keys, matched case-insensitively)
     * @param where    names the owner in warnings ("rbls spamhaus whitelist")
     * @return the map, or null when it has no usable source (a warning said why)
     */
    public static WatchedMap open(UclValue value, boolean networks, Path configDir, String where,
                                  Consumer<String> warnings, MapOptions maps) {
        MapData.Kind kind = networks ? MapData.Kind.RADIX : MapData.Kind.HASH;
        Clock clock = Clock.systemUTC();
        List<MapSource> sources = MultimapModule.sources(value, kind, configDir, where, warnings, maps, clock);
        if (sources == null) {
            return null;
        }
        WatchedMap m = new WatchedMap(new LiveMap(where, kind, false, sources, clock, maps.settle(), warnings));
        if (m.map.watchesFiles()) {
            Duration interval = maps.watchInterval();
            m.registration = MapWatcher.watch(m.map::refresh, where, m.map.awaitsFirstFetch() ? Duration.ZERO : interval,
                    interval);
        }
        return m;
    }

    public boolean contains(String key) {
        return !map.data().lookup(key).isEmpty();
    }

    public boolean contains(InetAddress ip) {
        return !map.data().lookup(ip).isEmpty();
    }

    /** How many times the entries were re-read after the first load. */
    public long reloads() {
        return map.reloads();
    }

    @Override
    public synchronized void close() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }
}
