package org.mailsift.scanner.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A list of networks (a.b.c.d/n, IPv6/n, or single addresses); matches textual IP literals without DNS. */
public final class CidrSet {
    private record Net(byte[] address, int prefix) {
    }

    private final List<Net> nets;

    private CidrSet(List<Net> nets) {
        this.nets = List.copyOf(nets);
    }

    public static CidrSet parse(List<String> items) {
        return parse(items, w -> {
            throw new IllegalArgumentException(w);
        });
    }

    public static CidrSet parse(List<String> items, Consumer<String> warnings) {
        List<Net> nets = new ArrayList<>();
        for (String item : items) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            byte[] addr = literal(host);
            if (addr == null) {
                warnings.accept("not an IP network: \"" + s + "\" (ignored)");
                continue;
            }
            int prefix = addr.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    warnings.accept("bad prefix length in \"" + s + "\" (ignored)");
                    continue;
                }
                if (prefix < 0 || prefix > addr.length * 8) {
                    warnings.accept("bad prefix length in \"" + s + "\" (ignored)");
                    continue;
                }
            }
            nets.add(new Net(addr, prefix));
        }
        return new CidrSet(nets);
    }

    public boolean contains(String ip) {
        if (nets.isEmpty() || ip == null || ip.isEmpty()) { // most lists are empty: no parse per message
            return false;
        }
        byte[] a = literal(ip.strip());
        if (a == null) {
            return false;
        }
        for (Net n : nets) {
            if (n.address().length == a.length && matches(n, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Net n, byte[] a) {
        int bits = n.prefix();
        for (int i = 0; bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((n.address()[i] & mask) != (a[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern V6_CHARS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.%a-zA-Z0-9]+");

    /** Parses an IP literal only (never a host name, so no DNS lookup); IPv4-mapped IPv6 becomes IPv4. */
    static byte[] literal(String s) {
        String h = s;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.regionMatches(true, 0, "IPv6:", 0, 5)) {
            h = h.substring(5);
        }
        boolean v4 = DOTTED_QUAD.matcher(h).matches();
        boolean v6 = !v4 && h.indexOf(':') >= 0 && V6_CHARS.matcher(h).matches();
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String p : h.split("\\.")) {
                if (Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
