package org.mailsift.scanner.policy.replies;

import java.util.List;

/**
 * Remembered Message-IDs of outgoing mail (hashed), each with a hash of the address replies go to. One call per
 * message; throws when the store cannot answer (the caller goes on without).
 */
public interface ReplyStore {
    /** Remembers {@code key} with {@code value} for {@code ttlMillis} (Redis PSETEX). */
    void remember(String key, String value, long ttlMillis);

    /** The values of {@code keys}, in order, null where nothing is remembered (Redis MGET). */
    List<String> find(List<String> keys);
}
