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
        if (!v6) {
            return v4(s);
        }
        // Guava parses literals only: InetAddress.getByName would look "999.1.1.1" up as a host name
        return com.google.common.net.InetAddresses.isInetAddress(s) ? com.google.common.net.InetAddresses.forString(s) : null;
    }

    /**
     * A dotted quad of digits, by Guava's rules (four parts of one to three digits, no leading zero, at most 255),
     * read here without Guava's second parse and exception: this runs for every Received header and URL host.
     */
    private static InetAddress v4(String s) {
        byte[] b = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && s.charAt(i) != '.') {
                continue;
            }
            int length = i - start;
            if (part == 4 || length == 0 || length > 3 || length > 1 && s.charAt(start) == '0') {
                return null;
            }
            int octet = 0;
            for (int k = start; k < i; k++) {
                octet = octet * 10 + Character.digit(s.charAt(k), 10);
            }
            if (octet > 255) {
                return null;
            }
            b[part++] = (byte) octet;
            start = i + 1;
        }
        if (part != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
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
