package org.mailsift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a Prometheus server scraping /metrics reads: mailsift's families as dashboards know them, and the JVM's. */
class MetricsExpositionTest {
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{" + LABEL + "(?:," + LABEL + ")*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");

    @Test
    void scrapeIsValidPrometheusTextWithMailsiftAndJvmFamilies() {
        Metrics metrics = busyMetrics();
        String text = metrics.renderPrometheus();

        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertThat(types.put(type.group(1), type.group(2))).as("family declared once: %s", line).isNull();
                continue;
            }
            if (line.startsWith("# ")) {
                assertThat(HELP.matcher(line).matches()).as("comment line: %s", line).isTrue();
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("sample line: %s", line).isTrue();
            assertThat(familyOf(sample.group(1), types)).as("sample after its # TYPE: %s", line).isNotNull();
        }
        assertThat(types).containsEntry("mailsift_scans_total", "counter")
                .containsEntry("mailsift_imap_watcher_accounts", "gauge")
                .containsEntry("mailsift_scan_duration_seconds", "histogram");
        assertThat(types.keySet()).anyMatch(n -> n.startsWith("jvm_memory_")).anyMatch(n -> n.startsWith("jvm_threads_"));
    }

    @Test
    void existingNamesHelpAndLabelsStayAsDashboardsKnowThem() {
        String text = busyMetrics().renderPrometheus();

        assertThat(text).contains("# HELP mailsift_scans_total Messages scanned, by action and source\n"
                        + "# TYPE mailsift_scans_total counter\n")
                .contains("mailsift_scans_total{action=\"reject\",source=\"http\"} 2.0\n")
                .contains("mailsift_scans_total{action=\"add header\",source=\"milter\"} 1.0\n")
                .contains("# TYPE mailsift_imap_watcher_accounts gauge\n")
                .contains("mailsift_imap_watcher_accounts{state=\"idle\"} 3.0\n")
                .contains("# HELP mailsift_scan_duration_seconds Scan latency\n")
                .contains("mailsift_scan_duration_seconds_bucket{le=\"0.005\"} 0\n")
                .contains("mailsift_scan_duration_seconds_bucket{le=\"0.01\"} 1\n")
                .contains("mailsift_scan_duration_seconds_bucket{le=\"+Inf\"} 2\n")
                .contains("mailsift_scan_duration_seconds_count 2\n")
                .contains("mailsift_bayes_unavailable_total 1.0\n")
                .contains("mailsift_learns_total{class=\"sp\\\"am\\\\\",outcome=\"a\\nb\"} 1.0\n");
    }

    @Test
    void counterValueReadsOneSeriesWithoutCreatingOthers() {
        Metrics metrics = busyMetrics();

        assertThat(metrics.counterValue("mailsift_scans_total", "action", "reject", "source", "http")).isEqualTo(2);
        assertThat(metrics.counterValue("mailsift_scans_total", "action", "greylist", "source", "http")).isZero();
        assertThat(metrics.counterValue("mailsift_never_total")).isZero();
        assertThat(metrics.renderPrometheus()).doesNotContain("greylist").doesNotContain("mailsift_never");
    }

    private static Metrics busyMetrics() {
        Metrics metrics = new Metrics();
        metrics.describe("mailsift_scans_total", "Messages scanned, by action and source");
        metrics.describe("mailsift_scan_duration_seconds", "Scan latency");
        metrics.increment("mailsift_scans_total", "action", "reject", "source", "http");
        metrics.increment("mailsift_scans_total", "action", "reject", "source", "http");
        metrics.increment("mailsift_scans_total", "action", "add header", "source", "milter");
        metrics.increment("mailsift_bayes_unavailable_total");
        metrics.increment("mailsift_learns_total", "class", "sp\"am\\", "outcome", "a\nb");
        metrics.gauge("mailsift_imap_watcher_accounts", "state", "idle").set(3);
        metrics.observe("mailsift_scan_duration_seconds", 0.007);
        metrics.observe("mailsift_scan_duration_seconds", 20);
        return metrics;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_created"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }
}
