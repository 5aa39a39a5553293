package org.mailsift.controller.stats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

/**
 * Counters behind /stat, /auth and /counters, fed by every scan (milter, HTTP, CLI) through {@link ScanListener},
 * plus the Prometheus series: {@code mailsift_scans_total{action,source}} and {@code mailsift_scan_duration_seconds}.
 */
public final class ScanStatistics implements ScanListener {
    /** Rspamd keeps the last 31 scan times for "Average scan time". */
    private static final int SCAN_TIME_SLOTS = 31;

    private final Metrics metrics;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong learned = new AtomicLong();
    private final Map<Action, LongAdder> actions = new EnumMap<>(Action.class);
    private final double[] scanTimes = new double[SCAN_TIME_SLOTS];
    private int scanTimeCursor;
    private final Map<String, SymbolCounter> symbols = new ConcurrentHashMap<>();
    private final LongAdder connections = new LongAdder();
    private final LongAdder controlConnections = new LongAdder();

    public ScanStatistics(Metrics metrics) {
        this.metrics = metrics;
        for (Action a : Action.values()) {
            actions.put(a, new LongAdder());
        }
        metrics.describe("mailsift_scans_total", "Messages scanned, by action and source");
        metrics.describe("mailsift_scan_duration_seconds", "Scan latency");
        metrics.describe("mailsift_learns_total", "Learn requests through the HTTP controller, by class and outcome");
    }

    @Override
    public void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result) {
        Action action = result.action() == null ? Action.NO_ACTION : result.action();
        scanned.incrementAndGet();
        actions.get(action).increment();
        synchronized (scanTimes) {
            scanTimes[scanTimeCursor] = result.scanTimeSeconds();
            scanTimeCursor = (scanTimeCursor + 1) % SCAN_TIME_SLOTS;
        }
        for (SymbolResult s : result.symbols()) {
            symbols.computeIfAbsent(s.name(), SymbolCounter::new).hit(s.weight());
        }
        metrics.increment("mailsift_scans_total", "action", action.wireName(), "source", source.name().toLowerCase());
        metrics.observe("mailsift_scan_duration_seconds", result.scanTimeSeconds());
    }

    public void learnedOne(String learnClass, String outcome, boolean counted) {
        if (counted) {
            learned.incrementAndGet();
        }
        metrics.increment("mailsift_learns_total", "class", learnClass, "outcome", outcome);
    }

    public void connectionAccepted(boolean controller) {
        (controller ? controlConnections : connections).increment();
    }

    public long uptimeSeconds() {
        return (System.currentTimeMillis() - startMillis) / 1000;
    }

    public long scanned() {
        return scanned.get();
    }

    public long learned() {
        return learned.get();
    }

    public long actionCount(Action a) {
        return actions.get(a).sum();
    }

    public long connections() {
        return connections.sum();
    }

    public long controlConnections() {
        return controlConnections.sum();
    }

    /** The recent scan times, as Rspamd's fixed ring (unused slots are 0). */
    public double[] scanTimes() {
        synchronized (scanTimes) {
            return scanTimes.clone();
        }
    }

    public List<SymbolCounter> symbolCounters() {
        return new ArrayList<>(symbols.values());
    }

    /** /statreset: counters restart, as Rspamd does (learn statistics are not touched). */
    public void reset() {
        scanned.set(0);
        learned.set(0);
        actions.values().forEach(LongAdder::reset);
        connections.reset();
        controlConnections.reset();
    }

    /** Hits of one symbol since start. */
    public static final class SymbolCounter {
        private final String name;
        private final LongAdder hits = new LongAdder();
        private volatile double weight;

        SymbolCounter(String name) {
            this.name = name;
        }

        void hit(double weight) {
            hits.increment();
            this.weight = weight;
        }

        public String name() {
            return name;
        }

        public double weight() {
            return weight;
        }

        public long hits() {
            return hits.sum();
        }

        /** Hits per second since start (rspamc multiplies by 60 for hits/min). */
        public double frequency(long nowMillis, long startMillis) {
            double seconds = Math.max(1, (nowMillis - startMillis) / 1000.0);
            return hits() / seconds;
        }
    }

    public long startMillis() {
        return startMillis;
    }
}
