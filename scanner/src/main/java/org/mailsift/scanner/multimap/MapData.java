package org.mailsift.scanner.multimap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.common.net.InetAddresses;

/**
 * The loaded content of one map, immutable once built (a reload builds a new one and swaps it in). Three kinds, as
 * Rspamd's: a case-insensitive hash of keys, a radix of IPv4 / IPv6 networks (longest prefix wins; a hash table per
 * prefix length, so a million entries load and match in constant time), and an ordered list of regexps or globs (the
 * first match, or every match for {@code multi}). A key without a value maps to {@code ""}.
 */
abstract sealed class MapData permits MapData.Hash, MapData.Radix, MapData.Regexps, RedisHashMap {
    enum Kind { HASH, RADIX, REGEXP, GLOB }

    /** The values of the entries {@code key} matches, empty when none does. */
    abstract List<String> lookup(String key);

    /** Radix maps match addresses; the others match the address's text. */
    List<String> lookup(InetAddress ip) {
        return lookup(InetAddresses.toAddrString(ip));
    }

    abstract int size();

    /**
     * Whether a label suffix of {@code host} (the host itself or what follows one of its dots, in lower case, with or
     * without a final dot) may be a key: false only when it certainly is none. A host's registrable domain (Public
     * Suffix List) is such a suffix, so a tld rule skips the list lookup for hosts that cannot hit.
     */
    boolean mayHoldSuffixOf(String host) {
        return true;
    }

    static Builder builder(Kind kind, boolean multi) {
        return new Builder(kind, multi);
    }

    /** Collects entries from every source of a map; a bad key throws IllegalArgumentException (caller adds file:line). */
    static final class Builder {
        private final Kind kind;
        private final boolean multi;
        private final Map<String, String> hash = new HashMap<>();
        @SuppressWarnings("unchecked")
        private final Map<Integer, String>[] v4 = new Map[33];
        @SuppressWarnings("unchecked")
        private final Map<V6, String>[] v6 = new Map[129];
        private final List<Regex> patterns = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private int radixSize;

        private Builder(Kind kind, boolean multi) {
            this.kind = kind;
            this.multi = multi;
        }

        Kind kind() {
            return kind;
        }

        void add(String key, String value) {
            String v = value == null ? "" : value;
            switch (kind) {
                case HASH -> hash.putIfAbsent(key.toLowerCase(Locale.ROOT), v);
                case RADIX -> {
                    for (String net : key.split(",")) {
                        if (!net.isBlank()) {
                            addNetwork(net.strip(), v);
                        }
                    }
                }
                case REGEXP -> {
                    patterns.add(Regex.of(RspamdRegex.compile(key)));
                    values.add(v);
                }
                case GLOB -> {
                    patterns.add(Regex.of(RspamdRegex.glob(key)));
                    values.add(v);
                }
            }
        }

        private void addNetwork(String net, String value) {
            int slash = net.indexOf('/');
            String addr = slash < 0 ? net : net.substring(0, slash);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            if (!InetAddresses.isInetAddress(addr)) {
                throw new IllegalArgumentException("not an IP address or network: " + net);
            }
            InetAddress ip = InetAddresses.forString(addr);
            boolean four = ip instanceof Inet4Address;
            int max = four ? 32 : 128;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(net.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("bad prefix length in " + net);
                }
            }
            if (four) {
                Map<Integer, String> m = v4[bits] == null ? (v4[bits] = new HashMap<>()) : v4[bits];
                if (m.putIfAbsent(mask4(toInt(ip), bits), value) == null) {
                    radixSize++;
                }
            } else {
                Map<V6, String> m = v6[bits] == null ? (v6[bits] = new HashMap<>()) : v6[bits];
                if (m.putIfAbsent(V6.of(ip.getAddress(), bits), value) == null) {
                    radixSize++;
                }
            }
        }

        MapData build() {
            return switch (kind) {
                case HASH -> new Hash(Map.copyOf(hash));
                case RADIX -> new Radix(v4, v6, radixSize);
                case REGEXP, GLOB -> new Regexps(List.copyOf(patterns), List.copyOf(values), multi);
            };
        }
    }

    static MapData empty(Kind kind) {
        return new Builder(kind, false).build();
    }

    static final class Hash extends MapData {
        private final Map<String, String> entries;

        Hash(Map<String, String> entries) {
            this.entries = entries;
        }

        @Override
        List<String> lookup(String key) {
            String v = entries.get(key.toLowerCase(Locale.ROOT));
            return v == null ? List.of() : List.of(v);
        }

        @Override
        int size() {
            return entries.size();
        }

        @Override
        boolean mayHoldSuffixOf(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            for (int i = 0; i < h.length(); i++) {
                if (h.charAt(i) >= 128) {
                    return true; // the list's parser folds other dots (U+3002...): not worth following
                }
            }
            if (!h.endsWith(".")) {
                return holdsSuffix(h);
            }
            return holdsSuffix(h) || holdsSuffix(h.substring(0, h.length() - 1));
        }

        private boolean holdsSuffix(String h) {
            int from = 0;
            while (true) {
                if (entries.containsKey(h.substring(from))) {
                    return true;
                }
                int dot = h.indexOf('.', from);
                if (dot < 0) {
                    return false;
                }
                from = dot + 1;
            }
        }
    }

    static final class Radix extends MapData {
        private final Map<Integer, String>[] v4;
        private final Map<V6, String>[] v6;
        private final int[] v4Lengths;
        private final int[] v6Lengths;
        private final int size;

        Radix(Map<Integer, String>[] v4, Map<V6, String>[] v6, int size) {
            this.v4 = v4.clone();
            this.v6 = v6.clone();
            this.v4Lengths = presentLengths(v4);
            this.v6Lengths = presentLengths(v6);
            this.size = size;
        }

        private static int[] presentLengths(Map<?, String>[] byLength) {
            int[] out = new int[byLength.length];
            int n = 0;
            for (int bits = byLength.length - 1; bits >= 0; bits--) {
                if (byLength[bits] != null) {
                    out[n++] = bits;
                }
            }
            return Arrays.copyOf(out, n);
        }

        @Override
        List<String> lookup(String key) {
            String k = key.strip();
            if (k.startsWith("[") && k.endsWith("]")) {
                k = k.substring(1, k.length() - 1);
            }
            return InetAddresses.isInetAddress(k) ? lookup(InetAddresses.forString(k)) : List.of();
        }

        @Override
        List<String> lookup(InetAddress ip) {
            byte[] a = ip.getAddress();
            if (a.length == 16 && isV4Mapped(a)) {
                a = Arrays.copyOfRange(a, 12, 16);
            }
            if (a.length == 4) {
                int addr = toInt(a);
                for (int bits : v4Lengths) {
                    String v = v4[bits].get(mask4(addr, bits));
                    if (v != null) {
                        return List.of(v);
                    }
                }
            } else {
                for (int bits : v6Lengths) {
                    String v = v6[bits].get(V6.of(a, bits));
                    if (v != null) {
                        return List.of(v);
                    }
                }
            }
            return List.of();
        }

        @Override
        int size() {
            return size;
        }

        private static boolean isV4Mapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }
    }

    static final class Regexps extends MapData {
        private final List<Regex> patterns;
        private final List<String> values;
        private final boolean multi;

        Regexps(List<Regex> patterns, List<String> values, boolean multi) {
            this.patterns = patterns;
            this.values = values;
            this.multi = multi;
        }

        @Override
        List<String> lookup(String key) {
            List<String> out = null;
            Regex.Lower lower = new Regex.Lower();
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).find(key, lower)) {
                    if (!multi) {
                        return List.of(values.get(i));
                    }
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.add(values.get(i));
                }
            }
            return out == null ? List.of() : out;
        }

        @Override
        int size() {
            return patterns.size();
        }
    }

    /** An IPv6 network: the address masked to its prefix length, as two longs. */
    record V6(long high, long low) {
        static V6 of(byte[] a, int bits) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (a[i] & 0xff);
                lo = lo << 8 | (a[i + 8] & 0xff);
            }
            if (bits <= 64) {
                hi = bits == 0 ? 0 : hi & (-1L << (64 - bits));
                lo = 0;
            } else if (bits < 128) {
                lo = lo & (-1L << (128 - bits));
            }
            return new V6(hi, lo);
        }
    }

    static int toInt(InetAddress ip) {
        return toInt(ip.getAddress());
    }

    static int toInt(byte[] a) {
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | a[3] & 0xff;
    }

    static int mask4(int addr, int bits) {
        return bits == 0 ? 0 : addr & (-1 << (32 - bits));
    }
}
