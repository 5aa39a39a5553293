package org.mailsift.controller.webui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages per action over time, as Rspamd's RRD keeps them for the WebUI's throughput graph: four round-robin
 * archives (hourly: 1-minute steps over an hour; daily: 5 minutes over a day; weekly: 30 minutes over a week;
 * monthly: 2 hours over 31 days), each slot counting the scans of each action in its step. Kept across restarts in
 * {@code <data dir>/throughput.json}, written atomically (temporary file, then rename) by {@link #save()}.
 */
public final class ThroughputRecorder implements ScanListener {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE_NAME = "throughput.json";

    /** The graph's series, in Rspamd's order. */
    static final Action[] SERIES = {Action.REJECT, Action.SOFT_REJECT, Action.REWRITE_SUBJECT, Action.ADD_HEADER,
            Action.GREYLIST, Action.NO_ACTION};

    /** One archive: {@code slots} steps of {@code stepSeconds}. */
    public enum Resolution {
        HOURLY(60, 60), DAILY(300, 288), WEEKLY(1800, 336), MONTHLY(7200, 372);

        final int stepSeconds;
        final int slots;

        Resolution(int stepSeconds, int slots) {
            this.stepSeconds = stepSeconds;
            this.slots = slots;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Resolution parse(String type) {
            for (Resolution r : values()) {
                if (r.key().equalsIgnoreCase(type)) {
                    return r;
                }
            }
            return null;
        }
    }

    /** One point of one series: unix time of the step's start and messages per second, or null before recording began. */
    public record Point(long x, Double y) {
    }

    private final Path file;
    private final long[][] periods = new long[Resolution.values().length][];
    private final long[][][] counts = new long[Resolution.values().length][][];
    private long sinceSeconds;
    private boolean dirty;

    /** @param dataDir where the archives are kept, or null to keep them in memory only */
    public ThroughputRecorder(Path dataDir, long nowSeconds) {
        this.file = dataDir == null ? null : dataDir.resolve(FILE_NAME);
        for (Resolution r : Resolution.values()) {
            periods[r.ordinal()] = new long[r.slots];
            counts[r.ordinal()] = new long[r.slots][SERIES.length];
            java.util.Arrays.fill(periods[r.ordinal()], -1);
        }
        this.sinceSeconds = nowSeconds;
        load();
    }

    @Override
    public void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result) {
        record(result.action(), System.currentTimeMillis() / 1000);
    }

    synchronized void record(Action action, long nowSeconds) {
        int series = seriesOf(action);
        for (Resolution r : Resolution.values()) {
            long period = nowSeconds / r.stepSeconds;
            int slot = (int) (period % r.slots);
            long[] p = periods[r.ordinal()];
            if (p[slot] != period) {
                p[slot] = period;
                java.util.Arrays.fill(counts[r.ordinal()][slot], 0);
            }
            counts[r.ordinal()][slot][series]++;
        }
        dirty = true;
    }

    private static int seriesOf(Action action) {
        Action a = action == null ? Action.NO_ACTION : action;
        if (a == Action.DISCARD || a == Action.QUARANTINE) {
            a = Action.REJECT;
        }
        for (int i = 0; i < SERIES.length; i++) {
            if (SERIES[i] == a) {
                return i;
            }
        }
        return SERIES.length - 1;
    }

    /** Six series (Rspamd's order) of {@code slots} points each, oldest first, ending with the current step. */
    public synchronized Point[][] series(Resolution r, long nowSeconds) {
        Point[][] out = new Point[SERIES.length][r.slots];
        long last = nowSeconds / r.stepSeconds;
        for (int i = 0; i < r.slots; i++) {
            long period = last - r.slots + 1 + i;
            long start = period * r.stepSeconds;
            int slot = (int) (Math.floorMod(period, (long) r.slots));
            boolean known = periods[r.ordinal()][slot] == period;
            boolean before = start + r.stepSeconds <= sinceSeconds;
            for (int s = 0; s < SERIES.length; s++) {
                Double y = before && !known ? null
                        : known ? counts[r.ordinal()][slot][s] / (double) r.stepSeconds : 0.0;
                out[s][i] = new Point(start, y);
            }
        }
        return out;
    }

    /** Writes the archives if anything changed since the last save; a failure is logged, the counts stay in memory. */
    public void save() {
        if (file == null) {
            return;
        }
        String text;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            text = toJson().toString();
            dirty = false;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            synchronized (this) {
                dirty = true;
            }
            LOG.warn("cannot save the throughput graph to {}: {}", file, e.toString());
        }
    }

    private ObjectNode toJson() {
        ObjectNode top = JSON.createObjectNode();
        top.put("version", 1);
        top.put("since", sinceSeconds);
        ObjectNode archives = top.putObject("archives");
        for (Resolution r : Resolution.values()) {
            ArrayNode slots = archives.putObject(r.key()).put("step", r.stepSeconds).putArray("slots");
            for (int i = 0; i < r.slots; i++) {
                long period = periods[r.ordinal()][i];
                if (period < 0) {
                    continue;
                }
                ArrayNode row = slots.addArray().add(period);
                for (long c : counts[r.ordinal()][i]) {
                    row.add(c);
                }
            }
        }
        return top;
    }

    private void load() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            JsonNode top = JSON.readTree(file.toFile());
            if (top.path("version").asInt() != 1) {
                LOG.warn("{}: unknown format, starting an empty throughput graph", file);
                return;
            }
            sinceSeconds = Math.min(sinceSeconds, top.path("since").asLong(sinceSeconds));
            for (Resolution r : Resolution.values()) {
                JsonNode a = top.path("archives").path(r.key());
                if (a.path("step").asInt() != r.stepSeconds) {
                    continue;
                }
                for (JsonNode row : a.path("slots")) {
                    long period = row.path(0).asLong(-1);
                    if (period < 0 || row.size() != SERIES.length + 1) {
                        continue;
                    }
                    int slot = (int) (period % r.slots);
                    periods[r.ordinal()][slot] = period;
                    for (int s = 0; s < SERIES.length; s++) {
                        counts[r.ordinal()][slot][s] = Math.max(0, row.path(s + 1).asLong());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the throughput graph {} ({}); starting an empty one", file, e.toString());
        }
    }
}
