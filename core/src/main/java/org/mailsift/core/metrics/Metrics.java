package org.mailsift.core.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide counters, gauges and histograms, served as Prometheus text by the controller's /metrics.
 * The Prometheus client library (io.prometheus:prometheus-metrics-core, -exposition-textformats and
 * -instrumentation-jvm) replaces the hand-written store and renderer this class used to be: it owns the
 * series, the escaping and the exposition format, and adds the standard jvm_ and process_ families.
 * This class only keeps mailsift's call style, where a series is a name plus label name/value pairs,
 * e.g. {@code increment("mailsift_scans_total", "action", "reject")}; a family is registered on first use
 * with the label names of that call and the text given to {@link #describe}.
 */
public final class Metrics {
    /** Scan latency buckets in seconds. */
    public static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, Map<List<String>, AtomicLong>> gauges = new ConcurrentHashMap<>();

    public void describe(String name, String text) {
        help.put(name, text);
    }

    public void increment(String name, String... labels) {
        add(name, 1, labels);
    }

    public void add(String name, long delta, String... labels) {
        Counter counter = counters.computeIfAbsent(name, n -> withHelp(Counter.builder(), n)
                .labelNames(labelNames(labels)).register(registry));
        if (labels.length == 0) {
            counter.inc(delta);
        } else {
            counter.labelValues(labelValues(labels)).inc(delta);
        }
    }

    /** The current value of one counter series, 0 if it was never incremented (without creating it). */
    public long counterValue(String name, String... labels) {
        Counter counter = counters.get(name);
        if (counter == null) {
            return 0;
        }
        Labels wanted = Labels.of(labelNames(labels), labelValues(labels));
        for (CounterSnapshot.CounterDataPointSnapshot p : counter.collect().getDataPoints()) {
            if (p.getLabels().equals(wanted)) {
                return (long) p.getValue();
            }
        }
        return 0;
    }

    /** A gauge series the caller sets or moves; the library reads it at each scrape. */
    public AtomicLong gauge(String name, String... labels) {
        Map<List<String>, AtomicLong> series = gauges.computeIfAbsent(name, n -> {
            Map<List<String>, AtomicLong> values = new ConcurrentHashMap<>();
            withHelp(GaugeWithCallback.builder(), n).labelNames(labelNames(labels))
                    .callback(cb -> values.forEach((v, g) -> cb.call(g.get(), v.toArray(String[]::new))))
                    .register(registry);
            return values;
        });
        return series.computeIfAbsent(List.of(labelValues(labels)), v -> new AtomicLong());
    }

    public void observe(String name, double value, String... labels) {
        Histogram histogram = histograms.computeIfAbsent(name, n -> withHelp(Histogram.builder(), n)
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).labelNames(labelNames(labels)).register(registry));
        if (labels.length == 0) {
            histogram.observe(value);
        } else {
            histogram.labelValues(labelValues(labels)).observe(value);
        }
    }

    /** Prometheus text exposition format 0.0.4: mailsift's families, then the JVM's. */
    public String renderPrometheus() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricSnapshot s : registry.scrape()) {
            all.metricSnapshot(s);
        }
        for (MetricSnapshot s : JvmRegistry.INSTANCE.scrape()) {
            all.metricSnapshot(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private <B extends io.prometheus.metrics.core.metrics.MetricWithFixedMetadata.Builder<B, ?>> B withHelp(B builder, String name) {
        builder.name(name);
        String text = help.get(name);
        return text == null ? builder : builder.help(text);
    }

    private static String[] labelNames(String... labels) {
        String[] names = new String[labels.length / 2];
        for (int i = 0; i < names.length; i++) {
            names[i] = labels[2 * i];
        }
        return names;
    }

    private static String[] labelValues(String... labels) {
        String[] values = new String[labels.length / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels[2 * i + 1] == null ? "" : labels[2 * i + 1];
        }
        return values;
    }

    /** One set of JVM collectors per process (they hold MXBean listeners), shared by every Metrics instance. */
    private static final class JvmRegistry {
        static final PrometheusRegistry INSTANCE = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(INSTANCE);
        }
    }
}
