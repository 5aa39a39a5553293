package org.mailsift.scanner.maps;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's list option taken as a map, as Rspamd's lua_maps takes greylist's {@code whitelisted_ip} or
 * {@code whitelist_domains_url}: entries written in the configuration, map files and HTTP(S) maps, each line's first
 * word an entry ({@code #} starts a comment). Map files are read again when they change and HTTP maps when the
 * server has a newer version, on the shared {@link MapWatcher} thread once {@link #watch} is called; scans read
 * {@link #get()}, the value built from every source, swapped whole. A file that disappears or changes while read
 * keeps the running value (one log line), as multimap's maps do.
 *
 * @param <T> what the entries are turned into (a network set, a set of names)
 */
public final class LiveList<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveList.class);

    /** Turns the entries of every source into the value scans use; bad entries are reported to {@code warnings}. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(List<String> entries, Consumer<String> warnings);
    }

    /** Where entries come from. */
    public sealed interface Source permits Entries, FileSource, HttpSource {
        String origin();
    }

    /** Entries written in the configuration. */
    public record Entries(String origin, List<String> entries) implements Source {
    }

    public record FileSource(MapFile file) implements Source {
        @Override
        public String origin() {
            return file.path().toString();
        }
    }

    public record HttpSource(HttpMap map) implements Source {
        @Override
        public String origin() {
            return map.uri().toString();
        }
    }

    private final String name;
    private final List<Source> sources;
    private final Parser<T> parser;
    private final Clock clock;
    private final Duration settle;
    private final Map<Source, Object> loaded = new HashMap<>();
    private volatile T value;
    private long reloads;
    private String lastProblem;
    private MapWatcher.Registration registration;

    /** Reads every source now (HTTP maps: their cached copy or fallback); a missing file is a warning. */
    public LiveList(String name, List<Source> sources, Parser<T> parser, Clock clock, Duration settle,
                    Consumer<String> warnings) {
        this.name = name;
        this.sources = List.copyOf(sources);
        this.parser = parser;
        this.clock = clock;
        this.settle = settle;
        List<String> entries = load(warnings, true);
        this.value = parser.parse(entries == null ? List.of() : entries, warnings);
    }

    public T get() {
        return value;
    }

    /** How many times the value was rebuilt after the first load. */
    public synchronized long reloads() {
        return reloads;
    }

    /** Whether a check can change it (map files, HTTP maps). */
    public boolean changes() {
        return sources.stream().anyMatch(s -> !(s instanceof Entries));
    }

    /**
     * Starts checking its files and HTTP maps every {@code interval} (the first check at once when an HTTP map has
     * nothing cached); {@link #close()} stops it.
     */
    public synchronized void watch(Duration interval) {
        if (registration == null && changes()) {
            boolean awaiting = sources.stream().anyMatch(s -> s instanceof HttpSource h && h.map().content() == null);
            registration = MapWatcher.watch(this::refresh, name, awaiting ? Duration.ZERO : interval, interval);
        }
    }

    @Override
    public synchronized void close() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** Rebuilds the value when a source changed; returns true when a new value is in use. */
    public synchronized boolean refresh() {
        boolean changed = false;
        for (Source s : sources) {
            if (s instanceof HttpSource h) {
                h.map().check();
                HttpMap.Content c = h.map().content();
                changed |= c != null && !Objects.equals(c.version(), loaded.get(s));
            }
        }
        MapFile.Change files = MapFile.Change.of(sources.stream().filter(s -> s instanceof FileSource)
                .map(s -> ((FileSource) s).file().changeSince((MapFile.Stamp) loaded.get(s), clock, settle, this::problem)));
        if (files == MapFile.Change.WAIT) {
            return false;
        }
        changed |= files == MapFile.Change.CHANGED;
        if (!changed) {
            return false;
        }
        List<String> entries = load(w -> LOG.warn("{}: {}", name, w), false);
        if (entries == null) {
            return false;
        }
        value = parser.parse(entries, w -> LOG.warn("{}: {}", name, w));
        reloads++;
        lastProblem = null;
        LOG.info("{}: reloaded ({} entries)", name, entries.size());
        return true;
    }

    /** Every source's entries; null when a file could not be read whole and this is not the first load. */
    private List<String> load(Consumer<String> warnings, boolean initial) {
        List<String> out = new ArrayList<>();
        Map<Source, Object> versions = new HashMap<>();
        for (Source s : sources) {
            switch (s) {
                case Entries e -> out.addAll(e.entries());
                case HttpSource h -> {
                    HttpMap.Content c = h.map().content();
                    if (c != null) {
                        versions.put(s, c.version());
                        out.addAll(entries(c.text()));
                    }
                }
                case FileSource f -> {
                    try {
                        MapFile.Snapshot snap = f.file().read();
                        if (snap == null) {
                            if (!initial) {
                                problem(f.origin() + " changed while being read; keeping the entries loaded before");
                                return null;
                            }
                            warnings.accept(name + ": " + f.origin() + " changed while being read; read again at the next check");
                        } else {
                            versions.put(s, snap.stamp());
                            out.addAll(entries(snap.text()));
                        }
                    } catch (NoSuchFileException e) {
                        if (!initial) {
                            problem(f.origin() + " disappeared; keeping the entries loaded before");
                            return null;
                        }
                        warnings.accept(name + ": map file " + f.origin() + " does not exist; read when it appears");
                    } catch (IOException e) {
                        if (!initial) {
                            problem("cannot read " + f.origin() + ": " + e.getMessage() + "; keeping the entries loaded before");
                            return null;
                        }
                        warnings.accept(name + ": cannot read " + f.origin() + ": " + e.getMessage());
                    }
                }
            }
        }
        loaded.clear();
        loaded.putAll(versions);
        return out;
    }

    /** A map's lines: the first word of each, {@code #} comments and blank lines dropped. */
    public static List<String> entries(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!entry.isEmpty()) {
                out.add(entry.split("\\s+", 2)[0]);
            }
        }
        return out;
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOG.warn("{}: {}", name, message);
            lastProblem = message;
        }
    }
}
