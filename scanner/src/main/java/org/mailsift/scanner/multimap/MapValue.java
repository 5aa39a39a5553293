package org.mailsift.scanner.multimap;

import java.util.List;

/**
 * What a map entry's value says, read as Rspamd's multimap reads it: {@code SYMBOL}, {@code SYMBOL:score},
 * {@code SYMBOL:score:opt1,opt2} or a bare {@code score}; the match is a prefix match, so a value starting with a
 * word names a symbol. An empty or unreadable value means "the rule's symbol, score 1".
 *
 * @param symbol  the symbol to insert, or null for the rule's own
 * @param score   the runtime score (multiplied by the symbol's weight)
 * @param options options given by the value, empty when none
 */
record MapValue(String symbol, double score, List<String> options) {
    static final MapValue DEFAULT = new MapValue(null, 1.0, List.of());

    static MapValue parse(String v) {
        if (v == null || v.isEmpty()) {
            return DEFAULT;
        }
        int n = number(v, 0);
        if (n > 0) {
            return new MapValue(null, Double.parseDouble(v.substring(0, n)), List.of());
        }
        int s = symbol(v, 0);
        if (s == 0) {
            return DEFAULT;
        }
        String sym = v.substring(0, s);
        if (s < v.length() && v.charAt(s) == ':') {
            int sc = number(v, s + 1);
            if (sc > s + 1) {
                double score = Double.parseDouble(v.substring(s + 1, sc));
                if (sc < v.length() && v.charAt(sc) == ':') {
                    List<String> opts = options(v, sc + 1);
                    if (!opts.isEmpty()) {
                        return new MapValue(sym, score, opts);
                    }
                }
                return new MapValue(sym, score, List.of());
            }
        }
        return new MapValue(sym, 1.0, List.of());
    }

    /** End of a decimal number ([+-]digits[.digits] or [+-].digits) starting at {@code from}, or {@code from}. */
    private static int number(String v, int from) {
        int p = from;
        if (p < v.length() && (v.charAt(p) == '+' || v.charAt(p) == '-')) {
            p++;
        }
        int digits = p;
        while (p < v.length() && Character.isDigit(v.charAt(p))) {
            p++;
        }
        boolean intPart = p > digits;
        if (p + 1 < v.length() && v.charAt(p) == '.' && Character.isDigit(v.charAt(p + 1))) {
            p += 2;
            while (p < v.length() && Character.isDigit(v.charAt(p))) {
                p++;
            }
            return p;
        }
        return intPart ? p : from;
    }

    private static int symbol(String v, int from) {
        int p = from;
        while (p < v.length() && (Character.isLetterOrDigit(v.charAt(p)) && v.charAt(p) < 128 || v.charAt(p) == '_')) {
            p++;
        }
        return p;
    }

    private static List<String> options(String v, int from) {
        List<String> out = new java.util.ArrayList<>();
        int p = from;
        while (true) {
            int e = symbol(v, p);
            if (e == p) {
                return out;
            }
            out.add(v.substring(p, e));
            if (e < v.length() && v.charAt(e) == ',') {
                p = e + 1;
            } else {
                return out;
            }
        }
    }
}
