package org.mailsift.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters and histograms, rendered in Prometheus text format by the controller's /metrics.
 * Hand-written (a few dozen lines) rather than pulling in a metrics library for a handful of series.
 * Series are identified by name plus an ordered label string, e.g. {@code counter("mailsift_scans_total", "action", "reject")}.
 */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

    /** Scan latency buckets in seconds. */
    public static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    public void describe(String name, String text) {
        help.put(name, text);
    }

    public void increment(String name, String... labels) {
        add(name, 1, labels);
    }

    public void add(String name, long delta, String... labels) {
        counters.computeIfAbsent(key(name, labels), k -> new LongAdder()).add(delta);
    }

    public long counterValue(String name, String... labels) {
        LongAdder a = counters.get(key(name, labels));
        return a == null ? 0 : a.sum();
    }

    public AtomicLong gauge(String name, String... labels) {
        return gauges.computeIfAbsent(key(name, labels), k -> new AtomicLong());
    }

    public void observe(String name, double value, String... labels) {
        histograms.computeIfAbsent(key(name, labels), k -> new Histogram(LATENCY_BUCKETS)).observe(value);
    }

    /** Prometheus text exposition format 0.0.4. */
    public String renderPrometheus() {
        StringBuilder sb = new StringBuilder();
        Map<String, List<String>> byName = new TreeMap<>();
        counters.forEach((k, v) -> byName.computeIfAbsent(baseName(k), n -> new ArrayList<>()).add(k + " " + v.sum()));
        gauges.forEach((k, v) -> byName.computeIfAbsent(baseName(k), n -> new ArrayList<>()).add(k + " " + v.get()));
        for (Map.Entry<String, List<String>> e : byName.entrySet()) {
            String type = counters.keySet().stream().anyMatch(k -> baseName(k).equals(e.getKey())) ? "counter" : "gauge";
            header(sb, e.getKey(), type);
            e.getValue().stream().sorted().forEach(line -> sb.append(line).append('\n'));
        }
        Map<String, List<Map.Entry<String, Histogram>>> hByName = new TreeMap<>();
        histograms.entrySet().forEach(e -> hByName.computeIfAbsent(baseName(e.getKey()), n -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<Map.Entry<String, Histogram>>> e : hByName.entrySet()) {
            header(sb, e.getKey(), "histogram");
            for (Map.Entry<String, Histogram> h : e.getValue()) {
                h.getValue().render(e.getKey(), labelsOf(h.getKey()), sb);
            }
        }
        return sb.toString();
    }

    private void header(StringBuilder sb, String name, String type) {
        String text = help.get(name);
        if (text != null) {
            sb.append("# HELP ").append(name).append(' ').append(text).append('\n');
        }
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String key(String name, String... labels) {
        if (labels.length == 0) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        return sb.append('}').toString();
    }

    private static String escape(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String baseName(String key) {
        int i = key.indexOf('{');
        return i < 0 ? key : key.substring(0, i);
    }

    private static String labelsOf(String key) {
        int i = key.indexOf('{');
        return i < 0 ? "" : key.substring(i + 1, key.length() - 1);
    }

    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    buckets[i].increment();
                }
            }
            count.increment();
            sum.add(v);
        }

        void render(String name, String labels, StringBuilder sb) {
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < bounds.length; i++) {
                sb.append(name).append("_bucket{").append(sep).append("le=\"").append(fmt(bounds[i])).append("\"} ")
                        .append(buckets[i].sum()).append('\n');
            }
            sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.sum()).append('\n');
            String l = labels.isEmpty() ? "" : "{" + labels + "}";
            sb.append(name).append("_sum").append(l).append(' ').append(sum.sum()).append('\n');
            sb.append(name).append("_count").append(l).append(' ').append(count.sum()).append('\n');
        }

        private static String fmt(double d) {
            return String.format(Locale.ROOT, "%s", d);
        }
    }
}
