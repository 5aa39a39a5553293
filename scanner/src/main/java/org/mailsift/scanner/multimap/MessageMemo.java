package org.mailsift.scanner.multimap;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.mailsift.core.message.ParsedMessage;

/**
 * What several multimap rules derive from the same message (parsed Received headers, MIME addresses, content, URL
 * parts, registrable domains), computed once per scan: a per-thread memo for the message being scanned (a scan runs
 * its rules on one thread; the memo holds the last message of its thread only).
 */
final class MessageMemo {
    private static final ThreadLocal<MessageMemo> CURRENT = ThreadLocal.withInitial(MessageMemo::new);

    private ParsedMessage message;
    private final Map<Object, Object> values = new HashMap<>();

    private MessageMemo() {
    }

    static <T> T get(ParsedMessage message, Object key, Supplier<T> compute) {
        return enter(message).value(key, compute);
    }

    /** Makes {@code message} this thread's current one (a rule calls it first), for {@link #cached}. */
    static MessageMemo enter(ParsedMessage message) {
        MessageMemo memo = CURRENT.get();
        if (memo.message != message) {
            memo.message = message;
            memo.values.clear();
        }
        return memo;
    }

    /** A value derived from the current message of this thread (filters see values, not the message). */
    static <T> T cached(Object key, Supplier<T> compute) {
        return CURRENT.get().value(key, compute);
    }

    @SuppressWarnings("unchecked")
    private <T> T value(Object key, Supplier<T> compute) {
        Object v = values.get(key);
        if (v == null) {
            v = compute.get();
            values.put(key, v);
        }
        return (T) v;
    }
}
