package org.mailsift.scanner.selectors;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import com.google.common.net.InetAddresses;

/** The client IP address as Rspamd's ip object: its text form, {@code to_string}, {@code get_version}. */
final class IpObject implements SelectorObject {
    private final InetAddress address;

    IpObject(InetAddress address) {
        this.address = address;
    }

    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.regionMatches(true, 0, "IPv6:", 0, 5)) {
            t = t.substring(5);
        }
        try {
            return Optional.of(InetAddresses.forString(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code address} with all but the first {@code bits} bits cleared, in text form. */
    static String masked(InetAddress address, int bits) {
        byte[] b = address.getAddress();
        int keep = Math.max(0, Math.min(bits, b.length * 8));
        for (int i = 0; i < b.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, keep - i * 8));
            b[i] &= (byte) (bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)));
        }
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(b));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is a valid address length
        }
    }

    @Override
    public Object call(String method, List<String> args) {
        return switch (method) {
            case "to_string", "tostring" -> toString();
            case "get_version" -> address instanceof Inet4Address ? "4" : "6";
            case "is_valid" -> "true";
            default -> throw new IllegalArgumentException("an IP address has no method " + method);
        };
    }

    @Override
    public String toString() {
        return InetAddresses.toAddrString(address);
    }
}
