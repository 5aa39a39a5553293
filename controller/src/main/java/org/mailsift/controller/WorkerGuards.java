package org.mailsift.controller;

import java.util.List;
import java.util.Locale;

import org.mailsift.controller.security.AccessGuard.TrustedWrites;
import org.mailsift.core.net.MinimumDataRate;

/**
 * How one HTTP worker protects itself, beyond passwords: what trusted peers may change, which browser origins may call
 * it, and how many connections it takes.
 *
 * @param trustedWrites      {@code secure_ip_writes}: what secure_ip and unix-socket peers may change without the
 *                           enable password: nothing (default), the learn endpoints, or everything (Rspamd's way)
 * @param allowedOrigins     {@code allowed_origin} (repeatable): browser origins besides the worker's own that may call
 *                           it, e.g. "https://admin.example.org"
 * @param maxConnections     {@code max_connections}: open connections in all; more are closed at accept
 * @param maxConnectionsPerIp {@code max_connections_per_ip}: open connections from one peer address
 * @param headerTimeoutMillis {@code header_timeout}: a request's line and headers must arrive within this from its
 *                           first byte (or the connect); trickling bytes does not extend it
 * @param maxInflightBytes   {@code max_inflight}: request bytes (bodies, decompressed bodies) all connections of the
 *                           worker may hold at once; a request that does not fit gets 503
 * @param bodyRate           {@code body_timeout} and {@code body_min_rate}: once the headers are in, the body must
 *                           arrive at this pace (else 408 and the connection is closed), so a trickled body cannot
 *                           keep a connection and its in-flight reservation forever
 */
public record WorkerGuards(TrustedWrites trustedWrites, List<String> allowedOrigins, int maxConnections,
                           int maxConnectionsPerIp, long headerTimeoutMillis, long maxInflightBytes,
                           MinimumDataRate bodyRate) {

    public WorkerGuards {
        allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || headerTimeoutMillis < 1 || maxInflightBytes < 1) {
            throw new IllegalArgumentException("max_connections, max_connections_per_ip, header_timeout and max_inflight must be positive");
        }
    }

    public static WorkerGuards normalDefaults() {
        return new WorkerGuards(TrustedWrites.NONE, List.of(), 1024, 128, 10_000, defaultInflight(), MinimumDataRate.DEFAULT);
    }

    public static WorkerGuards controllerDefaults() {
        return new WorkerGuards(TrustedWrites.NONE, List.of(), 256, 64, 10_000, defaultInflight(), MinimumDataRate.DEFAULT);
    }

    /** A quarter of the heap, at least 64 MB and at most 512 MB. */
    static long defaultInflight() {
        return Math.max(64L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    public WorkerGuards withTrustedWrites(TrustedWrites trusted) {
        return new WorkerGuards(trusted, allowedOrigins, maxConnections, maxConnectionsPerIp, headerTimeoutMillis, maxInflightBytes, bodyRate);
    }

    public WorkerGuards withAllowedOrigins(List<String> origins) {
        return new WorkerGuards(trustedWrites, origins, maxConnections, maxConnectionsPerIp, headerTimeoutMillis, maxInflightBytes, bodyRate);
    }

    public WorkerGuards withConnections(int total, int perIp, long headerTimeout) {
        return new WorkerGuards(trustedWrites, allowedOrigins, total, perIp, headerTimeout, maxInflightBytes, bodyRate);
    }

    public WorkerGuards withInflight(long bytes) {
        return new WorkerGuards(trustedWrites, allowedOrigins, maxConnections, maxConnectionsPerIp, headerTimeoutMillis, bytes, bodyRate);
    }

    public WorkerGuards withBodyRate(MinimumDataRate rate) {
        return new WorkerGuards(trustedWrites, allowedOrigins, maxConnections, maxConnectionsPerIp, headerTimeoutMillis, maxInflightBytes, rate);
    }
}
