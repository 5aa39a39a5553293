package org.mailsift.scanner.multimap;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.mailsift.scanner.maps.HttpMap;
import org.mailsift.scanner.maps.MapFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One map of a multimap rule as scans see it: the entries of all its sources, swapped atomically when a map file
 * changes or an HTTP map brings a new version ({@link HttpMap#check()}, on the same check). A check ({@link #refresh()}, run by {@link MapWatcher}) compares each file's inode, mtime and size with
 * the loaded version; on a change it reads every source again and swaps in the new entries. A file that disappeared,
 * that changed while being read, or that changed less than {@code settle} ago (a writer may still be at it) keeps the
 * running entries; one log line says why, and the next check tries again. Bad lines (a regexp RE2/J refuses, a
 * malformed network) are skipped, each reported with file:line.
 */
final class LiveMap {
    private static final Logger LOG = LoggerFactory.getLogger(LiveMap.class);
    private static final int MAX_LINE_REPORTS = 5;

    private final String rule;
    private final MapData.Kind kind;
    private final boolean multi;
    private final List<MapSource> sources;
    private final Clock clock;
    private final Duration settle;
    private final Map<MapSource.File, MapFile.Stamp> loaded = new HashMap<>();
    private final Map<MapSource.Http, Long> loadedVersions = new HashMap<>();
    private final AtomicLong reloads = new AtomicLong();
    private volatile MapData data;
    private String lastProblem;

    LiveMap(String rule, MapData.Kind kind, boolean multi, List<MapSource> sources, Clock clock, Duration settle,
            Consumer<String> warnings) {
        this.rule = rule;
        this.kind = kind;
        this.multi = multi;
        this.sources = List.copyOf(sources);
        this.clock = clock;
        this.settle = settle;
        MapData initial = load(warnings, true);
        this.data = initial != null ? initial : MapData.empty(kind);
    }

    /** A map asked at each lookup (redis://): nothing to load or watch. */
    LiveMap(String rule, RedisHashMap remote) {
        this.rule = rule;
        this.kind = MapData.Kind.HASH;
        this.multi = false;
        this.sources = List.of();
        this.clock = null;
        this.settle = null;
        this.data = remote;
    }

    /** Releases what the map holds (a redis:// map's share of the connection). */
    void close() {
        if (data instanceof RedisHashMap r) {
            r.close();
        }
    }

    MapData data() {
        return data;
    }

    /** How many times the entries were swapped after the first load. */
    long reloads() {
        return reloads.get();
    }

    /** Whether a check can change it (map files, HTTP maps). */
    boolean watchesFiles() {
        return sources.stream().anyMatch(s -> s instanceof MapSource.File || s instanceof MapSource.Http);
    }

    /** Whether an HTTP map has nothing yet (no cached copy): the first check runs at once, as in Rspamd. */
    boolean awaitsFirstFetch() {
        return sources.stream().anyMatch(s -> s instanceof MapSource.Http h && h.map().content() == null);
    }

    /** Reloads when a map file changed; returns true when new entries are in use. Called by one thread at a time. */
    synchronized boolean refresh() {
        boolean changed = false;
        for (MapSource s : sources) {
            if (s instanceof MapSource.Http h) {
                h.map().check();
                HttpMap.Content c = h.map().content();
                changed |= c != null && !Long.valueOf(c.version()).equals(loadedVersions.get(h));
            }
        }
        MapFile.Change files = MapFile.Change.of(sources.stream().filter(s -> s instanceof MapSource.File)
                .map(s -> (MapSource.File) s)
                .map(f -> new MapFile(f.path()).changeSince(loaded.get(f), clock, settle, this::problem)));
        if (files == MapFile.Change.WAIT) {
            return false; // a file is missing or being written: keep the running entries, look again next time
        }
        changed |= files == MapFile.Change.CHANGED;
        if (!changed) {
            return false;
        }
        MapData fresh = load(w -> LOG.warn("multimap {}: {}", rule, w), false);
        if (fresh == null) {
            return false;
        }
        data = fresh;
        reloads.incrementAndGet();
        lastProblem = null;
        LOG.info("multimap {}: map reloaded ({} entries)", rule, fresh.size());
        return true;
    }

    /**
     * Reads every source; null when a file could not be read whole (missing, or changed while read) and
     * {@code initial} is false: the running entries stay. At the first load a missing file is a warning and counts
     * as empty until it appears.
     */
    private MapData load(Consumer<String> warnings, boolean initial) {
        MapData.Builder b = MapData.builder(kind, multi);
        Map<MapSource.File, MapFile.Stamp> stamps = new HashMap<>();
        Map<MapSource.Http, Long> versions = new HashMap<>();
        List<String> bad = new ArrayList<>();
        int badCount = 0;
        for (MapSource s : sources) {
            List<MapFileFormat.Entry> entries;
            if (s instanceof MapSource.Inline in) {
                entries = in.entries();
            } else if (s instanceof MapSource.Http h) {
                HttpMap.Content c = h.map().content();
                if (c == null) {
                    continue; // not fetched yet: matches nothing from it until the first fetch
                }
                versions.put(h, c.version());
                entries = MapFileFormat.parse(c.text());
            } else {
                MapSource.File f = (MapSource.File) s;
                try {
                    MapFile.Snapshot snap = f.read();
                    if (snap == null) {
                        if (initial) {
                            warnings.accept(f.origin() + " changed while being read; loaded as empty, read again at the next check");
                            continue;
                        }
                        problem(f.origin() + " changed while being read; keeping the entries loaded before");
                        return null;
                    }
                    stamps.put(f, snap.stamp());
                    entries = MapFileFormat.parse(snap.text());
                } catch (NoSuchFileException e) {
                    if (initial) {
                        warnings.accept("map file " + f.origin() + " does not exist; rule " + rule
                                + " matches nothing from it until it appears");
                        continue;
                    }
                    problem(f.origin() + " disappeared; keeping the entries loaded before");
                    return null;
                } catch (IOException | RuntimeException e) {
                    if (initial) {
                        warnings.accept("cannot read map file " + f.origin() + ": " + e.getMessage());
                        continue;
                    }
                    problem("cannot read " + f.origin() + ": " + e.getMessage() + "; keeping the entries loaded before");
                    return null;
                }
            }
            for (MapFileFormat.Entry e : entries) {
                try {
                    b.add(e.key(), e.value());
                } catch (IllegalArgumentException ex) {
                    if (badCount++ < MAX_LINE_REPORTS) {
                        bad.add(lineOrigin(s, e) + ": " + ex.getMessage() + " (line skipped)");
                    }
                }
            }
        }
        bad.forEach(warnings);
        if (badCount > MAX_LINE_REPORTS) {
            warnings.accept("map of rule " + rule + ": " + (badCount - MAX_LINE_REPORTS) + " more bad lines skipped");
        }
        loaded.clear();
        loaded.putAll(stamps);
        loadedVersions.clear();
        loadedVersions.putAll(versions);
        return b.build();
    }

    private static String lineOrigin(MapSource s, MapFileFormat.Entry e) {
        return s instanceof MapSource.Inline ? s.origin() : s.origin() + ":" + e.line();
    }

    /** Logs a reload problem once, not at every check while it lasts. */
    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOG.warn("multimap {}: {}", rule, message);
            lastProblem = message;
        }
    }
}
