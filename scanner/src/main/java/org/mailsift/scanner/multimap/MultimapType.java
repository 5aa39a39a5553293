package org.mailsift.scanner.multimap;

import java.util.Locale;

/** Rspamd's multimap rule types that mailsift matches (the {@code type} of a rule). */
enum MultimapType {
    IP, RECEIVED, HEADER, RCPT, FROM, HELO, HOSTNAME, URL, USER, FILENAME, CONTENT, SELECTOR, COMBINED,
    /** The options of an already inserted symbol ({@code target_symbol}): SymbolOptionsRule. */
    SYMBOL_OPTIONS;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code key}, or null for one mailsift does not have (asn, country, mempool, dnsbl...). */
    static MultimapType of(String key) {
        for (MultimapType t : values()) {
            if (t.key().equalsIgnoreCase(key.strip())) {
                return t;
            }
        }
        return null;
    }
}
