package org.mailsift.dns;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;

/**
 * Answers by TTL (positive and negative). Bounded: when full, expired entries go first, then an arbitrary part of
 * the rest (cheap, and a DNS cache refills itself).
 *
 * <p>One table per record type, keyed by the normalized name itself, and each entry is its answer as an already
 * completed future: a hit (the usual lookup on a busy server: a message asks some thirty names) makes no key object
 * and no future, and compares one string. The profile showed a record key's generated {@code equals} (an
 * invokedynamic method handle chain) costing more than the rest of the lookup.
 *
 * <p>Names asked as a label in a zone (DNS lists: one address or domain in many lists) are found by their label too
 * ({@link #get(String, String, DnsRecordType, long)}): the answers for every zone a label was asked in sit in one
 * small array, so a message's lists reach them through one table lookup instead of one per list, each a walk through
 * memory the processor's caches no longer hold on a server that has seen many names. Such an answer is a copy of the
 * name's own entry, with the same expiry.
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

    /**
     * A cached answer: the completed future callers get (completing or cancelling a completed future changes
     * nothing, so every caller may share it).
     */
    static final class Entry extends CompletableFuture<DnsAnswer> {
        /** The zone it was asked in, for entries found by label; null in the by-name tables. */
        final String zone;
        final long expiresNanos;

        Entry(String zone, DnsAnswer answer, long expiresNanos) {
            this.zone = zone;
            this.expiresNanos = expiresNanos;
            complete(answer);
        }

        boolean expired(long nowNanos) {
            return nowNanos - expiresNanos >= 0;
        }

        DnsAnswer answer() {
            return getNow(null);
        }
    }

    /** The answers of one label in the zones it was asked in (copy on write: read without a lock). */
    private static final class ZoneAnswers {
        private volatile Entry[] entries = new Entry[0];

        Entry find(String zone) {
            for (Entry e : entries) {
                if (e.zone == zone || e.zone.equals(zone)) {
                    return e;
                }
            }
            return null;
        }

        /** Adds or replaces the zone's entry, dropping expired ones; returns the change in the number of entries. */
        synchronized int put(Entry entry, long nowNanos) {
            Entry[] old = entries;
            Entry[] next = new Entry[old.length + 1];
            int n = 0;
            for (Entry e : old) {
                if (!e.expired(nowNanos) && !e.zone.equals(entry.zone)) {
                    next[n++] = e;
                }
            }
            next[n++] = entry;
            entries = n == next.length ? next : java.util.Arrays.copyOf(next, n);
            return n - old.length;
        }

        synchronized void dropExpired(long nowNanos) {
            Entry[] old = entries;
            Entry[] next = new Entry[old.length];
            int n = 0;
            for (Entry e : old) {
                if (!e.expired(nowNanos)) {
                    next[n++] = e;
                }
            }
            entries = n == old.length ? old : java.util.Arrays.copyOf(next, n);
        }

        int size() {
            return entries.length;
        }
    }

    private static final DnsRecordType[] TYPES = DnsRecordType.values();

    private final ConcurrentHashMap<String, Entry>[] byType;
    private final ConcurrentHashMap<String, ZoneAnswers>[] byLabel;
    /** Entries in the by-label tables (kept as they change; recounted when the cache is full). */
    private final AtomicInteger labelled = new AtomicInteger();
    private final int capacity;

    @SuppressWarnings("unchecked")
    AnswerCache(int capacity) {
        this.capacity = capacity;
        this.byType = new ConcurrentHashMap[TYPES.length];
        this.byLabel = new ConcurrentHashMap[TYPES.length];
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new ConcurrentHashMap<>();
            byLabel[i] = new ConcurrentHashMap<>();
        }
    }

    /** The cached answer of {@code name}, or null when there is none or it has expired. */
    Entry get(String name, DnsRecordType type, long nowNanos) {
        ConcurrentHashMap<String, Entry> entries = byType[type.ordinal()];
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        if (e.expired(nowNanos)) {
            entries.remove(name, e);
            return null;
        }
        return e;
    }

    /** The cached answer of {@code label.zone} found by its label, or null (then ask {@link #get} by name). */
    Entry get(String label, String zone, DnsRecordType type, long nowNanos) {
        ZoneAnswers answers = byLabel[type.ordinal()].get(label);
        if (answers == null) {
            return null;
        }
        Entry e = answers.find(zone);
        return e == null || e.expired(nowNanos) ? null : e;
    }

    void put(String name, DnsRecordType type, DnsAnswer answer, long nowNanos) {
        if (capacity <= 0 || answer.ttl() <= 0) {
            return;
        }
        makeRoom(nowNanos);
        byType[type.ordinal()].put(name, new Entry(null, answer, nowNanos + answer.ttl() * 1_000_000_000L));
    }

    /** Makes {@code byName} (the entry of {@code label.zone}) found by its label too, until the same expiry. */
    void putLabelled(String label, String zone, DnsRecordType type, Entry byName, long nowNanos) {
        if (capacity <= 0 || byName.expired(nowNanos)) {
            return;
        }
        makeRoom(nowNanos);
        Entry entry = new Entry(zone, byName.answer(), byName.expiresNanos);
        labelled.addAndGet(byLabel[type.ordinal()].computeIfAbsent(label, k -> new ZoneAnswers()).put(entry, nowNanos));
    }

    private void makeRoom(long nowNanos) {
        if (size() >= capacity) {
            evict(nowNanos);
        }
    }

    private synchronized void evict(long nowNanos) {
        if (size() < capacity) {
            return; // another thread made room meanwhile
        }
        for (ConcurrentHashMap<String, Entry> entries : byType) {
            entries.values().removeIf(e -> e.expired(nowNanos));
        }
        int left = 0;
        for (ConcurrentHashMap<String, ZoneAnswers> labels : byLabel) {
            labels.values().removeIf(z -> {
                z.dropExpired(nowNanos);
                return z.size() == 0;
            });
            for (ZoneAnswers z : labels.values()) {
                left += z.size();
            }
        }
        labelled.set(left);
        int drop = size() - capacity * 3 / 4;
        for (int i = 0; i < TYPES.length && drop > 0; i++) {
            Iterator<Entry> it = byType[i].values().iterator();
            while (drop > 0 && it.hasNext()) {
                it.next();
                it.remove();
                drop--;
            }
            Iterator<ZoneAnswers> zones = byLabel[i].values().iterator();
            while (drop > 0 && zones.hasNext()) {
                int n = zones.next().size();
                zones.remove();
                labelled.addAndGet(-n);
                drop -= n;
            }
        }
    }

    int size() {
        int n = labelled.get();
        for (ConcurrentHashMap<String, Entry> entries : byType) {
            n += entries.size();
        }
        return n;
    }
}
