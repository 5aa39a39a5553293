package org.mailsift.milter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.core.config.BindSocket;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.net.MinimumDataRate;

/**
 * The milter's settings, read from {@code worker-proxy} with Rspamd's option names where Rspamd has one.
 *
 * @param bindSockets        where to listen ({@code bind_socket}, repeatable)
 * @param enabled            {@code enabled} and {@code milter}: both must be yes for the milter to run
 * @param scanTimeout        {@code timeout}: how long a scan may take before the fallback answers
 * @param readTimeout        {@code read_timeout}: an idle milter connection (no scan running) is closed after this
 * @param discardOnReject    {@code discard_on_reject}: DISCARD instead of an SMTP 554
 * @param quarantineOnReject {@code quarantine_on_reject}: QUARANTINE + ACCEPT instead of an SMTP 554
 * @param rejectMessage      {@code reject_message}: text after "554 5.7.1" when the result brings none
 * @param tempfailMessage    {@code tempfail_message}: text after "451 4.7.1" when the result brings none
 * @param maxSize            {@code max_size}: larger messages are passed unscanned instead of buffered
 * @param fallback           {@code fallback_action}: answer on scan error or timeout
 * @param maxConcurrentScans {@code max_scans}: scans running at once; further messages wait (back-pressure)
 * @param tcpQuickAck        {@code tcp_quickack}: acknowledge the MTA's packets at once (see MilterServer)
 * @param limits             caps on what one connection may make us hold, and on connections
 */
public record MilterSettings(List<BindSocket> bindSockets, boolean enabled, Duration scanTimeout, Duration readTimeout,
                             boolean discardOnReject, boolean quarantineOnReject, String rejectMessage,
                             String tempfailMessage, long maxSize, FallbackAction fallback,
                             int maxConcurrentScans, boolean tcpQuickAck, MilterLimits limits) {

    public static final String SECTION = "worker-proxy";
    public static final String DEFAULT_BIND = "127.0.0.1:11332";
    public static final long DEFAULT_MAX_SIZE = 50L * 1024 * 1024;

    /** Options we read. */
    private static final Set<String> KNOWN = Set.of("bind_socket", "milter", "enabled", "timeout", "read_timeout",
            "discard_on_reject", "quarantine_on_reject", "reject_message", "tempfail_message", "max_size",
            "fallback_action", "max_scans", "tcp_quickack", "max_headers", "max_recipients", "max_macro_size",
            "max_connections", "max_connections_per_ip", "packet_timeout", "body_timeout", "body_min_rate",
            // read by the scanner (MilterHeadersSettings), which decides every header of a verdict
            "spam_header",
            // Rspamd proxy options that mean nothing here: the scan always runs in-process (Rspamd's self_scan)
            "upstream", "self_scan", "count", "max_retries", "type", "keypair", "ssl", "ssl_cert", "ssl_key",
            "encryption_key", "mirror", "script", "spam_header_value");

    public MilterSettings {
        bindSockets = List.copyOf(bindSockets);
    }

    public static MilterSettings defaults() {
        return new MilterSettings(BindSocket.parse(DEFAULT_BIND), true, Duration.ofSeconds(20), Duration.ofMinutes(10),
                false, false, "Spam message rejected", "Try again later", DEFAULT_MAX_SIZE,
                FallbackAction.ACCEPT, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true, MilterLimits.defaults());
    }

    /** Reads the section; unknown options go to {@code warnings}, bad values throw {@link ConfigException}. */
    public static MilterSettings from(UclObject section, Consumer<String> warnings) {
        section.warnUnknown(SECTION, KNOWN, warnings);
        MilterSettings d = defaults();
        List<BindSocket> binds = BindSocket.read(section, d.bindSockets());
        long maxSize = section.getLong("max_size", d.maxSize());
        if (maxSize <= 0) {
            throw new ConfigException(section.getScalar("max_size").map(UclScalar::position).orElse(section.position()),
                    "max_size must be positive");
        }
        int maxScans = (int) section.getLong("max_scans", d.maxConcurrentScans());
        if (maxScans < 1) {
            throw new ConfigException(section.position(), "max_scans must be at least 1");
        }
        return new MilterSettings(binds,
                section.getBoolean("enabled", true) && section.getBoolean("milter", true),
                Duration.ofMillis(section.getMillis("timeout", d.scanTimeout().toMillis())),
                Duration.ofMillis(section.getMillis("read_timeout", d.readTimeout().toMillis())),
                section.getBoolean("discard_on_reject", false), section.getBoolean("quarantine_on_reject", false),
                section.getString("reject_message", d.rejectMessage()), section.getString("tempfail_message", d.tempfailMessage()),
                maxSize,
                parse(section, "fallback_action", () -> FallbackAction.parse(section.getString("fallback_action", "accept"))),
                maxScans, section.getBoolean("tcp_quickack", d.tcpQuickAck()), limits(section, d.limits()));
    }

    private static MilterLimits limits(UclObject section, MilterLimits d) {
        return parse(section, "max_headers", () -> new MilterLimits(
                positiveInt(section, "max_headers", d.maxHeaders()),
                positiveInt(section, "max_recipients", d.maxRecipients()),
                d.maxAddressBytes(),
                positiveInt(section, "max_macro_size", d.maxMacroBytes()),
                positiveInt(section, "max_connections", d.maxConnections()),
                positiveInt(section, "max_connections_per_ip", d.maxConnectionsPerIp()),
                Duration.ofMillis(section.getMillis("packet_timeout", d.packetTimeout().toMillis())),
                MinimumDataRate.from(section, d.contentRate())));
    }

    private static int positiveInt(UclObject section, String key, int fallback) {
        long v = section.getLong(key, fallback);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new ConfigException(section.getScalar(key).map(UclScalar::position).orElse(section.position()),
                    key + " must be between 1 and " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    public MilterSettings withBindSockets(List<BindSocket> binds) {
        return new MilterSettings(binds, enabled, scanTimeout, readTimeout, discardOnReject, quarantineOnReject, rejectMessage,
                tempfailMessage, maxSize, fallback, maxConcurrentScans, tcpQuickAck, limits);
    }

    public MilterSettings withLimits(MilterLimits newLimits) {
        return new MilterSettings(bindSockets, enabled, scanTimeout, readTimeout, discardOnReject, quarantineOnReject, rejectMessage,
                tempfailMessage, maxSize, fallback, maxConcurrentScans, tcpQuickAck, newLimits);
    }

    private static <T> T parse(UclObject section, String key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section.get(key).map(v -> v.position()).orElse(section.position()), key + ": " + e.getMessage());
        }
    }
}
