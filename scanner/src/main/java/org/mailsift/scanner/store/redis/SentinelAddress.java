package org.mailsift.scanner.store.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;

/**
 * {@code redis-sentinel://[:sentinel_password@]host[:port][,host[:port]...][/db][#master]}: the sentinels to ask and
 * the master to ask them for. The master is a name ({@code mymaster}) or, as Rspamd's
 * {@code sentinel_masters_pattern}, a Lua pattern ({@code ^mymaster.*$}) matched against the masters the sentinels
 * monitor; without one the sentinels must monitor exactly one master. A sentinel without a port listens on
 * {@value #DEFAULT_PORT}.
 */
record SentinelAddress(List<String> hosts, List<Integer> ports, String sentinelPassword, int db, String master) {
    static final int DEFAULT_PORT = 26379;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    static SentinelAddress parse(String text, int defaultDb) {
        String rest = text.substring("redis-sentinel://".length());
        String master = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            master = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String user = rest.substring(0, at);
            password = URLDecoder.decode(user.startsWith(":") ? user.substring(1) : user, StandardCharsets.UTF_8);
            rest = rest.substring(at + 1);
        }
        int db = defaultDb;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String d = rest.substring(slash + 1);
            if (!d.isEmpty()) {
                db = Integer.parseInt(d);
            }
            rest = rest.substring(0, slash);
        }
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String h : rest.split(",")) {
            String hp = h.trim();
            if (hp.isEmpty()) {
                continue;
            }
            int colon = hp.lastIndexOf(':');
            boolean hasPort = colon > 0 && !hp.endsWith("]");
            hosts.add(hasPort ? hp.substring(0, colon) : hp);
            ports.add(hasPort ? Integer.parseInt(hp.substring(colon + 1)) : DEFAULT_PORT);
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no sentinel in \"" + text + "\"");
        }
        return new SentinelAddress(List.copyOf(hosts), List.copyOf(ports), password, db,
                master == null || master.isBlank() ? null : master);
    }

    /** The lettuce URI of the master; a pattern (or no name) is resolved by asking the sentinels. */
    RedisURI toUri(RedisClient client, String password, Duration timeout) {
        String name = master != null && PLAIN_NAME.matcher(master).matches() ? master : resolveMaster(client, timeout);
        RedisURI.Builder b = RedisURI.builder().withSentinelMasterId(name).withDatabase(db).withTimeout(timeout);
        for (int i = 0; i < hosts.size(); i++) {
            RedisURI.Builder s = RedisURI.builder().withHost(hosts.get(i)).withPort(ports.get(i)).withTimeout(timeout);
            if (sentinelPassword != null) {
                s.withPassword(sentinelPassword.toCharArray());
            }
            b.withSentinel(s.build());
        }
        if (password != null) {
            b.withPassword(password.toCharArray());
        }
        return b.build();
    }

    private String resolveMaster(RedisClient client, Duration timeout) {
        Pattern p = master == null ? null : Pattern.compile(luaToRegex(master));
        RuntimeException last = null;
        for (int i = 0; i < hosts.size(); i++) {
            RedisURI.Builder s = RedisURI.builder().withHost(hosts.get(i)).withPort(ports.get(i)).withTimeout(timeout);
            if (sentinelPassword != null) {
                s.withPassword(sentinelPassword.toCharArray());
            }
            try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(s.build())) {
                List<String> names = c.sync().masters().stream().map(m -> m.get("name"))
                        .filter(n -> n != null && (p == null || p.matcher(n).find())).sorted().toList();
                if (names.size() != 1) {
                    throw new IllegalArgumentException("the sentinels monitor " + (names.isEmpty() ? "no" : names.size())
                            + " masters" + (p == null ? "" : " matching \"" + master + "\"") + " " + names
                            + ": set sentinel_master (or sentinel_masters_pattern) to exactly one");
                }
                return names.get(0);
            } catch (io.lettuce.core.RedisException e) {
                last = e; // this sentinel is unreachable: ask the next
            }
        }
        throw last;
    }

    /** Lua patterns as Rspamd's option uses them: {@code %} escapes, {@code -} is a lazy {@code *}. */
    static String luaToRegex(String lua) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < lua.length(); i++) {
            char c = lua.charAt(i);
            if (c == '%' && i + 1 < lua.length()) {
                char n = lua.charAt(++i);
                r.append(switch (n) {
                    case 'a' -> "\\p{Alpha}";
                    case 'd' -> "\\d";
                    case 'w' -> "\\w";
                    case 's' -> "\\s";
                    default -> Pattern.quote(String.valueOf(n));
                });
            } else if (c == '-') {
                r.append("*?");
            } else {
                r.append(c);
            }
        }
        return r.toString();
    }
}
