package org.mailsift.scanner.composites;

import java.util.Locale;

/**
 * What a matching composite does to the symbols it matched (Rspamd's composite policies): {@code remove_all}
 * (default: the symbols and their weights go), {@code remove_symbol} (the symbols are hidden, their weights still
 * count), {@code remove_weight} (the symbols stay, with score 0), {@code leave} (nothing changes).
 */
public enum CompositePolicy {
    REMOVE_ALL(3), // REMOVE_SYMBOL | REMOVE_WEIGHT
    REMOVE_SYMBOL(1),
    REMOVE_WEIGHT(2),
    LEAVE(0);

    /** Removal bits: hide the symbol, zero its weight, and override other composites' wish to keep it. */
    static final int HIDE_BIT = 1;
    static final int WEIGHT_BIT = 2;
    static final int FORCED_BIT = 4;

    private final int bits;

    CompositePolicy(int bits) {
        this.bits = bits;
    }

    int bits() {
        return bits;
    }

    /** Rspamd's names, with its aliases {@code remove}, {@code default}, {@code remove_none}; null when unknown. */
    public static CompositePolicy parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "remove_all", "remove", "default" -> REMOVE_ALL;
            case "remove_symbol" -> REMOVE_SYMBOL;
            case "remove_weight" -> REMOVE_WEIGHT;
            case "leave", "remove_none" -> LEAVE;
            default -> null;
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
