package org.mailsift.scanner.rbl;

import java.net.InetAddress;
import java.util.Locale;

import org.mailsift.scanner.multimap.WatchedMap;

/**
 * A list's {@code whitelist} map (or the module's {@code url_whitelist}), loaded and re-read as multimap's maps are:
 * networks for lists checking IPs (Rspamd's radix map), names for the others; a name matches itself and its
 * subdomains.
 */
public final class Whitelist implements AutoCloseable {
    public static final Whitelist EMPTY = new Whitelist(null);

    private final WatchedMap map;

    Whitelist(WatchedMap map) {
        this.map = map;
    }

    public boolean isEmpty() {
        return map == null;
    }

    public boolean containsIp(InetAddress ip) {
        return map != null && map.contains(ip);
    }

    public boolean containsDomain(String domain) {
        if (map == null) {
            return false;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            if (map.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    /** Re-reads of the map's files after the first load (tests). */
    long reloads() {
        return map == null ? 0 : map.reloads();
    }

    @Override
    public void close() {
        if (map != null) {
            map.close();
        }
    }
}
