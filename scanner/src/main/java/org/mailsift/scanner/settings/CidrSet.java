package org.mailsift.scanner.settings;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.google.common.net.InetAddresses;

/** A list of networks (a.b.c.d/n, IPv6/n, or single addresses); matches textual IP literals without DNS. */
public final class CidrSet {
    private record Net(byte[] address, int prefix) {
    }

    /** The networks' masked addresses by (address length, prefix): a lookup costs one probe per prefix in use. */
    private final Map<Integer, Set<ByteBuffer>> byPrefix = new HashMap<>();
    private final int[] prefixes;

    private CidrSet(List<Net> nets) {
        for (Net n : nets) {
            byPrefix.computeIfAbsent(key(n.address().length, n.prefix()), k -> new HashSet<>())
                    .add(ByteBuffer.wrap(masked(n.address(), n.prefix())));
        }
        this.prefixes = byPrefix.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int key(int addressLength, int prefix) {
        return addressLength << 8 | prefix;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
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
        if (prefixes.length == 0 || ip == null || ip.isEmpty()) { // most lists are empty: no parse per message
            return false;
        }
        byte[] a = literal(ip.strip());
        if (a == null) {
            return false;
        }
        for (int k : prefixes) {
            int prefix = k & 0xff;
            if (k >> 8 == a.length && byPrefix.get(k).contains(ByteBuffer.wrap(masked(a, prefix)))) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal only (never a host name, so no DNS lookup); IPv4-mapped IPv6 becomes IPv4. */
    static byte[] literal(String s) {
        String h = s;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.regionMatches(true, 0, "IPv6:", 0, 5)) {
            h = h.substring(5);
        }
        byte[] b;
        try {
            b = InetAddresses.forString(h).getAddress(); // literals only: no DNS, fast enough for a million-line map
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
        if (b.length == 16 && isV4Mapped(b)) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
