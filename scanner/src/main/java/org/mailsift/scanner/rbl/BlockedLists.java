package org.mailsift.scanner.rbl;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists that refused our resolver (Spamhaus' 127.255.255.254 "public resolver" and 127.255.255.255 "blocked",
 * URIBL / SURBL's 127.0.0.1, DNSWL's 127.0.0.255): paused for a while, with one warning, so a refusal never turns
 * into false listings or a flood of queries. Process-wide: the refusal is about our resolver, not one engine.
 */
final class BlockedLists {
    private static final Logger LOG = LoggerFactory.getLogger(BlockedLists.class);
    static final BlockedLists SHARED = new BlockedLists();

    private final ConcurrentHashMap<String, Long> pausedUntil = new ConcurrentHashMap<>();

    boolean isPaused(String zone) {
        if (pausedUntil.isEmpty()) {
            return false; // the usual case: every list of every message asks here
        }
        Long until = pausedUntil.get(zone);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until >= 0) {
            pausedUntil.remove(zone, until);
            return false;
        }
        return true;
    }

    void block(String zone, String answer, String symbol, String resolver, Duration backoff) {
        Long previous = pausedUntil.put(zone, System.nanoTime() + backoff.toNanos());
        if (previous == null) {
            LOG.warn("DNS list {} refuses queries from our resolver {} (answer {}, {}); the list is paused for {} min. "
                    + "Use a local recursive resolver, not a public one (options.inc dns { nameserver })",
                    zone, resolver, answer, symbol, backoff.toMinutes());
        }
    }

    void clear() {
        pausedUntil.clear();
    }
}
