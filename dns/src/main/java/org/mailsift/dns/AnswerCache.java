package org.mailsift.dns;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;

/**
 * Answers by TTL (positive and negative). Bounded: when full, expired entries go first, then an arbitrary part of
 * the rest (cheap, and a DNS cache refills itself).
 *
 * <p>One table per record type, keyed by the normalized name itself, and each entry holds its answer as an already
 * completed future: a hit (the usual lookup on a busy server: a message asks some thirty names) makes no key object
 * and no future, and compares one string. The profile showed a record key's generated {@code equals} (an
 * invokedynamic method handle chain) costing more than the rest of the lookup.
 */
final class AnswerCache {
    /** The name and type of a lookup in flight (only misses make one). */
    record Key(String name, DnsRecordType type) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && k.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + type.ordinal();
        }
    }

    private static final class Entry {
        final CompletableFuture<DnsAnswer> answer;
        final long expiresNanos;

        Entry(DnsAnswer answer, long expiresNanos) {
            this.answer = CompletableFuture.completedFuture(answer);
            this.expiresNanos = expiresNanos;
        }
    }

    private static final DnsRecordType[] TYPES = DnsRecordType.values();

    private final ConcurrentHashMap<String, Entry>[] byType;
    private final int capacity;

    @SuppressWarnings("unchecked")
    AnswerCache(int capacity) {
        this.capacity = capacity;
        this.byType = new ConcurrentHashMap[TYPES.length];
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new ConcurrentHashMap<>();
        }
    }

    /**
     * The cached answer, completed (callers may share it: completing or cancelling a completed future changes
     * nothing), or null when there is none or it has expired.
     */
    CompletableFuture<DnsAnswer> get(String name, DnsRecordType type, long nowNanos) {
        ConcurrentHashMap<String, Entry> entries = byType[type.ordinal()];
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        if (nowNanos - e.expiresNanos >= 0) {
            entries.remove(name, e);
            return null;
        }
        return e.answer;
    }

    void put(String name, DnsRecordType type, DnsAnswer answer, long nowNanos) {
        if (capacity <= 0 || answer.ttl() <= 0) {
            return;
        }
        if (size() >= capacity) {
            evict(nowNanos);
        }
        byType[type.ordinal()].put(name, new Entry(answer, nowNanos + answer.ttl() * 1_000_000_000L));
    }

    private void evict(long nowNanos) {
        for (ConcurrentHashMap<String, Entry> entries : byType) {
            entries.values().removeIf(e -> nowNanos - e.expiresNanos >= 0);
        }
        int drop = size() - capacity * 3 / 4;
        for (ConcurrentHashMap<String, Entry> entries : byType) {
            Iterator<Entry> it = entries.values().iterator();
            while (drop > 0 && it.hasNext()) {
                it.next();
                it.remove();
                drop--;
            }
        }
    }

    int size() {
        int n = 0;
        for (ConcurrentHashMap<String, Entry> entries : byType) {
            n += entries.size();
        }
        return n;
    }
}
