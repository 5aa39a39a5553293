package org.mailsift.scanner.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parses of DNS record text (SPF terms and addresses, DMARC records), kept by the text: answers come from the TTL
 * cache, so a busy server parses the same few thousand records for every message. Bounded: emptied when full (a
 * memo refills itself), and texts longer than {@value #MAX_KEPT_LENGTH} characters are parsed every time, so the
 * memo stays within a few MB whatever senders publish. Values must be immutable; a failed parse is kept as a value
 * too, so a bad record costs once.
 */
public final class RecordMemo<V> {
    static final int MAX_KEPT_LENGTH = 1024;

    private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
    private final int capacity;

    public RecordMemo(int capacity) {
        this.capacity = capacity;
    }

    public V get(String text, Function<String, V> parse) {
        if (text.length() > MAX_KEPT_LENGTH) {
            return parse.apply(text);
        }
        V v = values.get(text);
        if (v == null) {
            v = parse.apply(text);
            if (values.size() >= capacity) {
                values.clear();
            }
            values.put(text, v);
        }
        return v;
    }
}
