package org.mailsift.core.dns;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * {@code options.inc} {@code dns { }}, with Rspamd's option names:
 * <pre>
 * dns {
 *   nameserver = ["127.0.0.1:53"];   # default: the nameserver lines of /etc/resolv.conf
 *   timeout = 1s;                    # one lookup, retransmissions included
 *   retransmits = 2;                 # resends of an unanswered query within the timeout (next nameserver first)
 *   budget = 1s;                     # all of one message's lookups (mailsift's own option)
 *   enabled = true;                  # false: no DNS checks at all (mailsift's own option)
 * }
 * </pre>
 *
 * @param enabled     {@code enabled = false}: no resolver at all, every DNS check stays silent (hosts without
 *                    network; the test suite's stock configuration)
 * @param nameservers explicit nameservers; empty means /etc/resolv.conf
 * @param timeout     how long one lookup may take in total
 * @param retransmits how many times an unanswered query is sent again within {@code timeout}
 * @param budget      the per-message limit over all of its lookups (never more than the milter's timeout)
 * @param cacheSize   answers kept in the TTL cache (a DNS list's answer counts twice: found by name and by label)
 * @param maxErrors   consecutive timeouts after which a nameserver is considered down
 * @param reviveTime  how long a nameserver found down is left alone before it is tried again
 */
public record DnsSettings(boolean enabled, List<InetSocketAddress> nameservers, Duration timeout, int retransmits, Duration budget,
                          int cacheSize, int maxErrors, Duration reviveTime) {
    public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final Set<String> KNOWN = Set.of("enabled", "nameserver", "timeout", "retransmits", "budget", "cache_size",
            "max_errors", "revive_time",
            // Rspamd options with no meaning here
            "sockets", "enable_dnssec", "fake_records");

    public static final DnsSettings DEFAULTS = new DnsSettings(true, List.of(), Duration.ofSeconds(1), 2, Duration.ofSeconds(1),
            100_000, 4, Duration.ofSeconds(60));

    public DnsSettings {
        nameservers = List.copyOf(nameservers);
    }

    /** Reads {@code options { dns { } }}; bad values name their file and line (unknown keys: see {@link #check}). */
    public static DnsSettings from(ConfigSource config) {
        return section(config).map(s -> from(s, w -> { })).orElse(DEFAULTS);
    }

    /** configtest: reads the section once, reporting unknown keys as the configuration's warnings. */
    public static DnsSettings check(ConfigSource config) {
        return section(config).map(s -> from(s, config::warn)).orElse(DEFAULTS);
    }

    private static java.util.Optional<UclObject> section(ConfigSource config) {
        UclObject options = config.section("options");
        if (options.keys().size() == 1 && options.has("options")) {
            options = options.getObject("options").orElse(options);
        }
        return options.getObject("dns");
    }

    public static DnsSettings from(UclObject s, Consumer<String> warnings) {
        s.warnUnknown("dns", KNOWN, warnings);
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String v : s.getStringList("nameserver")) {
            try {
                servers.addAll(parseNameservers(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.get("nameserver").orElseThrow().position(), "nameserver: " + e.getMessage());
            }
        }
        Duration timeout = Duration.ofMillis(s.getMillis("timeout", DEFAULTS.timeout.toMillis()));
        long retransmits = s.getLong("retransmits", DEFAULTS.retransmits);
        Duration budget = Duration.ofMillis(s.getMillis("budget", DEFAULTS.budget.toMillis()));
        if (timeout.toMillis() < 10 || budget.toMillis() < 10) {
            throw new ConfigException(s.position(), "dns: timeout and budget must be at least 10ms");
        }
        if (retransmits < 0 || retransmits > 20) {
            throw new ConfigException(s.position(), "dns: retransmits must be between 0 and 20");
        }
        return new DnsSettings(s.getBoolean("enabled", true), servers, timeout, (int) retransmits, budget,
                (int) Math.max(0, s.getLong("cache_size", DEFAULTS.cacheSize)),
                (int) Math.max(1, s.getLong("max_errors", DEFAULTS.maxErrors)),
                Duration.ofMillis(s.getMillis("revive_time", DEFAULTS.reviveTime.toMillis())));
    }

    /** The configured nameservers, else those of /etc/resolv.conf (empty when it has none). */
    public List<InetSocketAddress> effectiveNameservers() {
        return nameservers.isEmpty() ? resolvConf(RESOLV_CONF) : nameservers;
    }

    public DnsSettings withNameservers(List<InetSocketAddress> servers) {
        return new DnsSettings(enabled, servers, timeout, retransmits, budget, cacheSize, maxErrors, reviveTime);
    }

    public DnsSettings withBudget(Duration b) {
        return new DnsSettings(enabled, nameservers, timeout, retransmits, b, cacheSize, maxErrors, reviveTime);
    }

    /** The {@code nameserver} lines of a resolv.conf file (port 53). */
    public static List<InetSocketAddress> resolvConf(Path file) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.strip().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    try {
                        out.add(parseOne(f[1]));
                    } catch (IllegalArgumentException ignored) {
                        // a line the C library would skip too
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /**
     * One {@code nameserver} value as Rspamd accepts it: {@code 127.0.0.1}, {@code 127.0.0.1:5353},
     * {@code [::1]:53}, {@code ::1}, several separated by commas, optionally after a rotation prefix
     * ({@code master-slave:}, {@code round-robin:}, {@code sequential:}), which mailsift reads as an ordered list.
     */
    public static List<InetSocketAddress> parseNameservers(String value) {
        String v = value.strip();
        for (String prefix : List.of("master-slave:", "round-robin:", "sequential:", "random:", "hash:")) {
            if (v.startsWith(prefix)) {
                v = v.substring(prefix.length());
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : v.split("[,;]")) {
            if (!part.isBlank()) {
                out.add(parseOne(part.strip()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty nameserver");
        }
        return out;
    }

    static InetSocketAddress parseOne(String s) {
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("bad address " + s);
            }
            host = s.substring(1, end);
            if (s.length() > end + 1) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("bad address " + s);
                }
                port = port(s.substring(end + 2), s);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(s.substring(s.indexOf(':') + 1), s);
        }
        if (!isIpLiteral(host)) {
            throw new IllegalArgumentException("not an IP address: " + s + " (a nameserver is given by address)");
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + s);
        }
    }

    private static int port(String p, String whole) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
    }

    /** An IPv4 dotted quad or an IPv6 literal (never a host name: no lookup happens here). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        }
        String[] q = host.split("\\.", -1);
        if (q.length != 4) {
            return false;
        }
        for (String x : q) {
            if (x.isEmpty() || x.length() > 3 || !x.chars().allMatch(Character::isDigit) || Integer.parseInt(x) > 255) {
                return false;
            }
        }
        return true;
    }
}
