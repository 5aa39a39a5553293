package org.mailsift.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.controller.security.AccessGuard;
import org.mailsift.controller.security.Cidr;
import org.mailsift.controller.security.Secret;
import org.mailsift.core.config.BindSocket;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.net.MinimumDataRate;

/**
 * One HTTP worker's options, in Rspamd's names ({@code worker-normal.inc} / {@code worker-controller.inc}).
 *
 * @param name           "normal" or "controller", for logs
 * @param binds          where to listen ({@code bind_socket}, read by core's BindSocket)
 * @param password       read password (controller only)
 * @param enablePassword privileged-command password (controller only)
 * @param secureIps      peers trusted without a password (controller only)
 * @param maxBodyBytes   request body limit (413 above it)
 * @param idleTimeoutMillis a connection with no traffic for this long is closed
 * @param historyRows    how many scans /history keeps
 * @param guards         trusted writes, allowed origins, connection caps, header deadline
 */
public record WorkerSettings(String name, List<BindSocket> binds, Optional<Secret> password, Optional<Secret> enablePassword,
                             List<Cidr> secureIps, long maxBodyBytes, long idleTimeoutMillis, int historyRows,
                             WorkerGuards guards) {

    public static final long DEFAULT_MAX_BODY = 50L * 1024 * 1024;
    public static final long DEFAULT_IDLE_MILLIS = 60_000;

    private static final Set<String> KNOWN = Set.of("bind_socket", "password", "enable_password", "secure_ip",
            "max_message", "timeout", "history_rows", "enabled", "type", "secure_ip_writes", "allowed_origin",
            "max_connections", "max_connections_per_ip", "header_timeout", "max_inflight", "body_timeout", "body_min_rate",
            // Rspamd options that make no sense here; accepted silently so a copied Rspamd file loads
            "count", "keypair", "static_dir", "task_timeout", "mime", "max_tasks", "spf", "dkim", "stats_path",
            ".include");

    public static WorkerSettings normalDefaults() {
        return new WorkerSettings("normal", List.of(BindSocket.tcp("127.0.0.1", 11333)), Optional.empty(),
                Optional.empty(), List.of(), DEFAULT_MAX_BODY, DEFAULT_IDLE_MILLIS, 200, WorkerGuards.normalDefaults());
    }

    public static WorkerSettings controllerDefaults() {
        return new WorkerSettings("controller", List.of(BindSocket.tcp("127.0.0.1", 11334)), Optional.empty(),
                Optional.empty(), List.of(Cidr.parse("127.0.0.1"), Cidr.parse("::1")), DEFAULT_MAX_BODY,
                DEFAULT_IDLE_MILLIS, 200, WorkerGuards.controllerDefaults());
    }

    public boolean enabled() {
        return !binds.isEmpty();
    }

    /**
     * Reads a worker section over {@code defaults}. Unknown options and plaintext passwords are reported to
     * {@code warnings}; bad values throw {@link ConfigException} with the position.
     */
    public static WorkerSettings fromConfig(UclObject section, WorkerSettings defaults, Consumer<String> warnings) {
        section.warnUnknown("worker-" + defaults.name(), KNOWN, warnings);
        if (!section.getBoolean("enabled", true)) {
            return new WorkerSettings(defaults.name(), List.of(), Optional.empty(), Optional.empty(), List.of(),
                    defaults.maxBodyBytes(), defaults.idleTimeoutMillis(), defaults.historyRows(), defaults.guards());
        }
        List<BindSocket> binds = BindSocket.read(section, defaults.binds());
        Optional<Secret> password = secret(section, "password", warnings).or(defaults::password);
        Optional<Secret> enable = secret(section, "enable_password", warnings).or(defaults::enablePassword);
        List<Cidr> secure = defaults.secureIps();
        if (section.has("secure_ip")) {
            secure = new ArrayList<>();
            for (UclValue v : section.getList("secure_ip")) {
                try {
                    secure.add(Cidr.parse(scalarText(v)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(v.position(), e.getMessage());
                }
            }
        }
        long maxBody = section.getLong("max_message", defaults.maxBodyBytes());
        long idle = section.getMillis("timeout", defaults.idleTimeoutMillis());
        int rows = (int) section.getLong("history_rows", defaults.historyRows());
        return new WorkerSettings(defaults.name(), List.copyOf(binds), password, enable, List.copyOf(secure), maxBody, idle, rows,
                guards(section, defaults.guards()));
    }

    private static WorkerGuards guards(UclObject section, WorkerGuards d) {
        AccessGuard.TrustedWrites trusted = d.trustedWrites();
        if (section.has("secure_ip_writes")) {
            String v = section.getString("secure_ip_writes", "none");
            try {
                trusted = AccessGuard.TrustedWrites.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(section.getScalar("secure_ip_writes").map(UclScalar::position).orElse(section.position()),
                        "secure_ip_writes must be \"none\", \"learn\" or \"all\", found \"" + v + "\"");
            }
        }
        List<String> origins = d.allowedOrigins();
        if (section.has("allowed_origin")) {
            origins = section.getList("allowed_origin").stream().map(WorkerSettings::scalarText).toList();
        }
        try {
            return new WorkerGuards(trusted, origins,
                    (int) Math.min(Integer.MAX_VALUE, section.getLong("max_connections", d.maxConnections())),
                    (int) Math.min(Integer.MAX_VALUE, section.getLong("max_connections_per_ip", d.maxConnectionsPerIp())),
                    section.getMillis("header_timeout", d.headerTimeoutMillis()),
                    section.getLong("max_inflight", d.maxInflightBytes()),
                    MinimumDataRate.from(section, d.bodyRate()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section.position(), e.getMessage());
        }
    }

    private static Optional<Secret> secret(UclObject section, String key, Consumer<String> warnings) {
        Optional<String> text = section.getScalar(key).map(s -> s.asString());
        if (text.isEmpty() || text.get().isEmpty()) {
            return Optional.empty();
        }
        String where = section.get(key).map(v -> v.position().toString()).orElse("?");
        try {
            Optional<Secret> s = Secret.of(text.get());
            if (s.isPresent() && !s.get().isHashed()) {
                warnings.accept(where + ": " + key + " is stored in plaintext; store a hash from `mailsift pw` instead");
            }
            if (text.get().equalsIgnoreCase("q1") || text.get().equalsIgnoreCase("q2")) {
                warnings.accept(where + ": " + key + " \"" + text.get() + "\" is a well-known default and is always refused");
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section.get(key).orElseThrow().position(), key + ": " + e.getMessage());
        }
    }

    private static String scalarText(UclValue v) {
        if (v instanceof org.mailsift.core.config.UclScalar s && s.asString() != null) {
            return s.asString();
        }
        throw new ConfigException(v.position(), "expected a string");
    }

    /** For tests and the agent: the same settings listening elsewhere. */
    public WorkerSettings withBinds(List<BindSocket> newBinds) {
        return new WorkerSettings(name, List.copyOf(newBinds), password, enablePassword, secureIps, maxBodyBytes, idleTimeoutMillis, historyRows, guards);
    }

    public WorkerSettings withPasswords(Optional<Secret> read, Optional<Secret> enable) {
        return new WorkerSettings(name, binds, read, enable, secureIps, maxBodyBytes, idleTimeoutMillis, historyRows, guards);
    }

    public WorkerSettings withSecureIps(List<Cidr> ips) {
        return new WorkerSettings(name, binds, password, enablePassword, List.copyOf(ips), maxBodyBytes, idleTimeoutMillis, historyRows, guards);
    }

    public WorkerSettings withGuards(WorkerGuards newGuards) {
        return new WorkerSettings(name, binds, password, enablePassword, secureIps, maxBodyBytes, idleTimeoutMillis, historyRows, newGuards);
    }

    public WorkerSettings withLimits(long maxBody, long idleMillis) {
        return new WorkerSettings(name, binds, password, enablePassword, secureIps, maxBody, idleMillis, historyRows, guards);
    }

}
