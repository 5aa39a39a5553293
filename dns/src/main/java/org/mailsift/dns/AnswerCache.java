package org.mailsift.dns;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;

/**
 * Answers by TTL (positive and negative). Bounded: when full, expired entries go first, then an arbitrary part of
 * the rest (cheap, and a DNS cache refills itself).
 */
final class AnswerCache {
    record Key(String name, DnsRecordType type) {
    }

    private record Entry(DnsAnswer answer, long expiresNanos) {
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int capacity;

    AnswerCache(int capacity) {
        this.capacity = capacity;
    }

    DnsAnswer get(Key key, long nowNanos) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nowNanos - e.expiresNanos >= 0) {
            entries.remove(key, e);
            return null;
        }
        return e.answer;
    }

    void put(Key key, DnsAnswer answer, long nowNanos) {
        if (capacity <= 0 || answer.ttl() <= 0) {
            return;
        }
        if (entries.size() >= capacity) {
            evict(nowNanos);
        }
        entries.put(key, new Entry(answer, nowNanos + answer.ttl() * 1_000_000_000L));
    }

    private void evict(long nowNanos) {
        entries.values().removeIf(e -> nowNanos - e.expiresNanos >= 0);
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        int drop = entries.size() - capacity * 3 / 4;
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }
}
