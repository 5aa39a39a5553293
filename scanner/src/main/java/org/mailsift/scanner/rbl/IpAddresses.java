package org.mailsift.scanner.rbl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Parsing IP literals without DNS, the DNS-list form of an address, and Rspamd's "is local" test. */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** The address of a textual IPv4 / IPv6 literal (brackets and "IPv6:" tolerated), or null. Never a lookup. */
    public static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 && v6 || Character.isDigit(c) || c == '.' || c == ':')) {
                return null;
            }
        }
        if (!v6 && s.split("\\.", -1).length != 4) {
            return null;
        }
        // Guava parses literals only: InetAddress.getByName would look "999.1.1.1" up as a host name
        return com.google.common.net.InetAddresses.isInetAddress(s) ? com.google.common.net.InetAddresses.forString(s) : null;
    }

    /** Octets (IPv4) or nibbles (IPv6) in reverse, as DNS lists are queried: 1.2.3.4 → 4.3.2.1. */
    public static String reversed(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder(b.length == 4 ? 15 : 63);
        if (a instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 255);
                if (i > 0) {
                    sb.append('.');
                }
            }
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(Character.forDigit(b[i] & 15, 16)).append('.').append(Character.forDigit(b[i] >> 4 & 15, 16));
                if (i > 0) {
                    sb.append('.');
                }
            }
        }
        return sb.toString();
    }

    /** Rspamd's ip:is_local(): loopback, private, link-local, CGNAT, unique-local, unspecified. */
    public static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 255) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10
        }
        return a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc; // fc00::/7
    }
}
