package org.mailsift.milter.server;

import java.util.List;

import org.mailsift.core.metrics.Metrics;
import org.mailsift.milter.codec.MilterReply;

/** The milter's series in the shared {@link Metrics}. */
final class MilterMetrics {
    static final String CONNECTIONS_TOTAL = "mailsift_milter_connections_total";
    static final String CONNECTIONS_OPEN = "mailsift_milter_connections_open";
    static final String MESSAGES_TOTAL = "mailsift_milter_messages_total";
    static final String VERDICTS_TOTAL = "mailsift_milter_verdicts_total";
    static final String ERRORS_TOTAL = "mailsift_milter_errors_total";
    static final String SCAN_SECONDS = "mailsift_milter_scan_seconds";
    static final String REFUSED_TOTAL = "mailsift_milter_connections_refused_total";

    private final Metrics metrics;

    MilterMetrics(Metrics metrics) {
        this.metrics = metrics;
        metrics.describe(CONNECTIONS_TOTAL, "Milter connections accepted");
        metrics.describe(CONNECTIONS_OPEN, "Milter connections open now");
        metrics.describe(MESSAGES_TOTAL, "Messages that reached end of message on the milter");
        metrics.describe(VERDICTS_TOTAL, "End-of-message answers by milter reply and scan action");
        metrics.describe(ERRORS_TOTAL, "Milter connections closed on protocol errors, failed and timed-out scans");
        metrics.describe(SCAN_SECONDS, "Scan time of milter messages");
        metrics.describe(REFUSED_TOTAL, "Milter connections closed at accept: max_connections or max_connections_per_ip reached");
    }

    void connectionOpened() {
        metrics.increment(CONNECTIONS_TOTAL);
        metrics.gauge(CONNECTIONS_OPEN).incrementAndGet();
    }

    void connectionClosed() {
        metrics.gauge(CONNECTIONS_OPEN).decrementAndGet();
    }

    void refused() {
        metrics.increment(REFUSED_TOTAL);
    }

    void message() {
        metrics.increment(MESSAGES_TOTAL);
    }

    void error(String kind) {
        metrics.increment(ERRORS_TOTAL, "kind", kind);
    }

    void scanTime(double seconds) {
        metrics.observe(SCAN_SECONDS, seconds);
    }

    /** @param action the scan action's wire name, or "fallback" / "unscanned" */
    void verdict(List<MilterReply> replies, String action) {
        metrics.increment(VERDICTS_TOTAL, "reply", replyName(replies), "action", action);
    }

    static String replyName(List<MilterReply> replies) {
        String name = "accept";
        for (MilterReply r : replies) {
            switch (r) {
                case MilterReply.Quarantine q -> name = "quarantine";
                case MilterReply.ReplyCode c -> name = c.smtpReply().startsWith("4") ? "tempfail" : "reject";
                case MilterReply.Simple s when s.equals(MilterReply.DISCARD) -> name = "discard";
                case MilterReply.Simple s when s.equals(MilterReply.TEMPFAIL) -> name = "tempfail";
                case MilterReply.Simple s when s.equals(MilterReply.REJECT) -> name = "reject";
                default -> {
                }
            }
        }
        return name;
    }
}
