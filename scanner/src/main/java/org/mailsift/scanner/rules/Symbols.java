package org.mailsift.scanner.rules;

import java.util.List;

/** Small helpers shared by the rule classes. */
final class Symbols {
    private Symbols() {
    }

    static SymbolDefinition def(String name, String group, double weight, String description) {
        return new SymbolDefinition(name, group, weight, description);
    }

    /** The raw (undecoded) values of a header, for address parsing. */
    static List<String> raw(ScanContext ctx, String name) {
        return ctx.message().headers().stream().filter(h -> h.name().equalsIgnoreCase(name))
                .map(h -> h.rawValue()).toList();
    }

    static boolean has(ScanContext ctx, String name) {
        return !ctx.message().headerValues(name).isEmpty();
    }

    /** Rspamd's count buckets: the largest threshold not above n, named as in RCVD_COUNT_* and RCPT_COUNT_*. */
    static String bucket(int n, int[] thresholds, String[] names) {
        String def = "ZERO";
        for (int i = 0; i < thresholds.length; i++) {
            if (n >= thresholds[i]) {
                def = names[i];
            }
        }
        return def;
    }
}
