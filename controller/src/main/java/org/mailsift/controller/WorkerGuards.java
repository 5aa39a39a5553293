package org.mailsift.controller;

import java.util.List;
import java.util.Locale;

import org.mailsift.controller.security.AccessGuard.TrustedWrites;

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
 */
public record WorkerGuards(TrustedWrites trustedWrites, List<String> allowedOrigins, int maxConnections,
                           int maxConnectionsPerIp, long headerTimeoutMillis) {

    public WorkerGuards {
        allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || headerTimeoutMillis < 1) {
            throw new IllegalArgumentException("connection limits and header_timeout must be positive");
        }
    }

    public static WorkerGuards normalDefaults() {
        return new WorkerGuards(TrustedWrites.NONE, List.of(), 1024, 128, 10_000);
    }

    public static WorkerGuards controllerDefaults() {
        return new WorkerGuards(TrustedWrites.NONE, List.of(), 256, 64, 10_000);
    }
}
