package org.mailsift.scanner.multimap;

import java.util.Locale;

/**
 * The parts of a URL as written in a message that url rules match: host (lower case, no port or user info), the
 * registrable domain ({@code tld}, as Rspamd's get_tld), path (without its leading slash) and query.
 */
record UrlParts(String host, String path, String query) {
    static UrlParts of(String url) {
        String u = url.strip();
        int scheme = u.indexOf("://");
        int start = scheme >= 0 ? scheme + 3 : u.regionMatches(true, 0, "mailto:", 0, 7) ? 7 : 0;
        int end = start;
        while (end < u.length() && "/?#".indexOf(u.charAt(end)) < 0) {
            end++;
        }
        String authority = u.substring(start, end);
        int at = authority.lastIndexOf('@');
        String host = at >= 0 ? authority.substring(at + 1) : authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host.substring(1);
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String path = "";
        String query = "";
        int p = end;
        if (p < u.length() && u.charAt(p) == '/') {
            int q = p;
            while (q < u.length() && u.charAt(q) != '?' && u.charAt(q) != '#') {
                q++;
            }
            path = u.substring(p + 1, q);
            p = q;
        }
        if (p < u.length() && u.charAt(p) == '?') {
            int h = u.indexOf('#', p);
            query = u.substring(p + 1, h < 0 ? u.length() : h);
        }
        return new UrlParts(host, path, query);
    }

    /** The registrable domain (once per message), or the address itself for an IP host. */
    String tld() {
        return MessageMemo.current().registrable(host); // an empty host or an address: itself (Domains)
    }
}
