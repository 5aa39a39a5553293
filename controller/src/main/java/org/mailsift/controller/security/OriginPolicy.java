package org.mailsift.controller.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.mailsift.controller.api.RequestHeaders;

/**
 * Browser requests: a web page on another site must not drive the controller (cross-site request forgery), nor reach
 * it through a DNS name that resolves to a trusted address (DNS rebinding). A request whose {@code Origin} is neither
 * the worker's own (same host and port as its {@code Host}) nor listed in {@code allowed_origin} is refused, and so is
 * one a browser marks {@code Sec-Fetch-Site: cross-site / same-site}. Clients that are not browsers (rspamc, curl,
 * mailsift-learn) send neither header and are not affected.
 */
public final class OriginPolicy {
    private final List<String> allowed;

    public OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).toList();
    }

    /** Why the request is refused, or null when it may go on. */
    public String refusal(RequestHeaders headers) {
        String origin = headers.first("Origin");
        if (origin != null) {
            String o = normalise(origin);
            if (allowed.contains(o) || sameOrigin(o, headers.first("Host"))) {
                return null;
            }
            return "Cross-origin request refused (Origin " + abbreviate(origin) + ")";
        }
        String site = headers.first("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            return "Cross-site request refused";
        }
        return null;
    }

    /**
     * A browser (it sent Origin or Sec-Fetch-Site) addressing us by a DNS name that no allowed origin names: the peer
     * address (loopback for a rebound name) says nothing about who sent it, so secure_ip must not vouch for it.
     */
    public boolean browserUnderForeignName(RequestHeaders headers) {
        if (headers.first("Origin") == null && headers.first("Sec-Fetch-Site") == null) {
            return false;
        }
        String host = hostOnly(headers.first("Host"));
        if (host == null) {
            return true;
        }
        if (host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[")) {
            return false;
        }
        for (String a : allowed) {
            if (host.equals(hostOnly(authority(a)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String authority = authority(origin);
        if (authority == null) {
            return false;
        }
        String scheme = origin.substring(0, origin.indexOf(':'));
        return withPort(authority, scheme).equals(withPort(hostHeader.trim().toLowerCase(Locale.ROOT), scheme));
    }

    private static String withPort(String authority, String scheme) {
        boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.indexOf(':') >= 0;
        return hasPort ? authority : authority + (scheme.equals("https") ? ":443" : ":80");
    }

    private static String authority(String origin) {
        try {
            URI u = URI.create(origin);
            return u.getScheme() == null || u.getRawAuthority() == null ? null : u.getRawAuthority().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hostOnly(String authority) {
        if (authority == null) {
            return null;
        }
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private static String normalise(String origin) {
        return origin.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
