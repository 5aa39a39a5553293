package org.mailsift.sieve.engine.ext;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The three comparators Sieve implementations provide (RFC 4790): i;octet, i;ascii-casemap, i;ascii-numeric. */
final class Comparators {
    static final String OCTET = "i;octet";
    static final String CASEMAP = "i;ascii-casemap";
    static final String NUMERIC = "i;ascii-numeric";

    private Comparators() {
    }

    static boolean known(String name) {
        return name.equals(OCTET) || name.equals(CASEMAP) || name.equals(NUMERIC);
    }

    static boolean caseInsensitive(String comparator) {
        return comparator.equals(CASEMAP);
    }

    /** Normalises for equality and substring tests. */
    static String fold(String comparator, String s) {
        return comparator.equals(CASEMAP) ? upperAscii(s) : s;
    }

    private static String upperAscii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return sb.toString();
    }

    static boolean equal(String comparator, String a, String b) {
        return order(comparator, a, b) == 0;
    }

    /** Ordering for relational tests; i;ascii-numeric treats strings without leading digits as positive infinity. */
    static int order(String comparator, String a, String b) {
        if (comparator.equals(NUMERIC)) {
            BigInteger x = leadingNumber(a);
            BigInteger y = leadingNumber(b);
            if (x == null || y == null) {
                return x == null && y == null ? 0 : (x == null ? 1 : -1);
            }
            return x.compareTo(y);
        }
        if (comparator.equals(CASEMAP)) {
            return compareBytes(upperAscii(a), upperAscii(b));
        }
        return compareBytes(a, b);
    }

    private static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static BigInteger leadingNumber(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == 0 ? null : new BigInteger(s.substring(0, i));
    }

    static boolean relation(String op, int order) {
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "gt" -> order > 0;
            case "ge" -> order >= 0;
            case "lt" -> order < 0;
            case "le" -> order <= 0;
            case "eq" -> order == 0;
            case "ne" -> order != 0;
            default -> throw new IllegalArgumentException("unknown relational operator \"" + op + "\"");
        };
    }
}
