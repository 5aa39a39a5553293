package org.mailsift.controller;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.controller.security.Cidr;
import org.mailsift.controller.security.Secret;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclValue;

/**
 * One HTTP worker's options, in Rspamd's names ({@code worker-normal.inc} / {@code worker-controller.inc}).
 *
 * @param name           "normal" or "controller", for logs
 * @param binds          where to listen (TCP or unix socket)
 * @param password       read password (controller only)
 * @param enablePassword privileged-command password (controller only)
 * @param secureIps      peers trusted without a password (controller only)
 * @param maxBodyBytes   request body limit (413 above it)
 * @param idleTimeoutMillis a connection with no traffic for this long is closed
 * @param historyRows    how many scans /history keeps
 */
public record WorkerSettings(String name, List<Bind> binds, Optional<Secret> password, Optional<Secret> enablePassword,
                             List<Cidr> secureIps, long maxBodyBytes, long idleTimeoutMillis, int historyRows) {

    public static final long DEFAULT_MAX_BODY = 50L * 1024 * 1024;
    public static final long DEFAULT_IDLE_MILLIS = 60_000;

    private static final Set<String> KNOWN = Set.of("bind_socket", "password", "enable_password", "secure_ip",
            "max_message", "timeout", "history_rows", "enabled", "type",
            // Rspamd options that make no sense here; accepted silently so a copied Rspamd file loads
            "count", "keypair", "static_dir", "task_timeout", "mime", "max_tasks", "spf", "dkim", "stats_path",
            ".include");

    /**
     * A listening address: TCP, or a unix socket path with an optional mode.
     *
     * @param address  the socket address
     * @param text     as written in the configuration
     * @param unixMode permission bits for a unix socket (e.g. 0660), or -1
     */
    public record Bind(SocketAddress address, String text, int unixMode) {
        public boolean isUnix() {
            return address instanceof UnixDomainSocketAddress;
        }
    }

    public static WorkerSettings normalDefaults() {
        return new WorkerSettings("normal", List.of(tcp("127.0.0.1", 11333, "127.0.0.1:11333")), Optional.empty(),
                Optional.empty(), List.of(), DEFAULT_MAX_BODY, DEFAULT_IDLE_MILLIS, 200);
    }

    public static WorkerSettings controllerDefaults() {
        return new WorkerSettings("controller", List.of(tcp("127.0.0.1", 11334, "127.0.0.1:11334")), Optional.empty(),
                Optional.empty(), List.of(Cidr.parse("127.0.0.1"), Cidr.parse("::1")), DEFAULT_MAX_BODY,
                DEFAULT_IDLE_MILLIS, 200);
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
                    defaults.maxBodyBytes(), defaults.idleTimeoutMillis(), defaults.historyRows());
        }
        List<Bind> binds = defaults.binds();
        if (section.has("bind_socket")) {
            binds = new ArrayList<>();
            for (UclValue v : section.getList("bind_socket")) {
                String text = scalarText(v);
                try {
                    binds.addAll(parseBind(text));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(v.position(), e.getMessage());
                }
            }
        }
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
        return new WorkerSettings(defaults.name(), List.copyOf(binds), password, enable, List.copyOf(secure), maxBody, idle, rows);
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

    /**
     * Rspamd's bind_socket forms: "127.0.0.1:11334", "[::1]:11334", "localhost:11334" (both loopbacks),
     * "*:11334" (every address), "/run/mailsift/controller.sock mode=0660".
     */
    public static List<Bind> parseBind(String text) {
        String t = text.trim();
        if (t.startsWith("/")) {
            String[] words = t.split("\\s+");
            int mode = -1;
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("mode=")) {
                    mode = Integer.parseInt(words[i].substring(5), 8);
                }
            }
            return List.of(new Bind(UnixDomainSocketAddress.of(Path.of(words[0])), t, mode));
        }
        if (t.startsWith("systemd:")) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\": systemd socket activation is not supported");
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0 || (t.startsWith("[") && !t.contains("]:"))) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\" needs host:port");
        }
        String host = t.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\": bad port");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return switch (host) {
            case "*", "" -> List.of(new Bind(new InetSocketAddress(port), t, -1));
            case "localhost" -> List.of(tcp("127.0.0.1", port, t), tcp("::1", port, t));
            default -> List.of(tcp(host, port, t));
        };
    }

    private static Bind tcp(String host, int port, String text) {
        return new Bind(new InetSocketAddress(host, port), text, -1);
    }

    /** For tests and the agent: the same settings listening elsewhere. */
    public WorkerSettings withBinds(List<Bind> newBinds) {
        return new WorkerSettings(name, List.copyOf(newBinds), password, enablePassword, secureIps, maxBodyBytes, idleTimeoutMillis, historyRows);
    }

    public WorkerSettings withPasswords(Optional<Secret> read, Optional<Secret> enable) {
        return new WorkerSettings(name, binds, read, enable, secureIps, maxBodyBytes, idleTimeoutMillis, historyRows);
    }

    public WorkerSettings withSecureIps(List<Cidr> ips) {
        return new WorkerSettings(name, binds, password, enablePassword, List.copyOf(ips), maxBodyBytes, idleTimeoutMillis, historyRows);
    }

    public WorkerSettings withLimits(long maxBody, long idleMillis) {
        return new WorkerSettings(name, binds, password, enablePassword, secureIps, maxBody, idleMillis, historyRows);
    }

}
