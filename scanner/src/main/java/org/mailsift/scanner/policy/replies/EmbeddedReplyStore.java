package org.mailsift.scanner.policy.replies;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mailsift.scanner.store.embedded.ExpiringRecords;

/** Remembered Message-IDs in the daemon's embedded policy records. */
public final class EmbeddedReplyStore implements ReplyStore {
    private final Supplier<ExpiringRecords> records;

    public EmbeddedReplyStore(Supplier<ExpiringRecords> records) {
        this.records = records;
    }

    @Override
    public void remember(String key, String value, long ttlMillis) {
        records.get().atomically(r -> {
            r.put(key, value, r.nowMillis() + ttlMillis);
            return null;
        });
    }

    @Override
    public List<String> find(List<String> keys) {
        return records.get().atomically(r -> {
            List<String> out = new ArrayList<>(keys.size());
            for (String k : keys) {
                ExpiringRecords.Entry e = r.get(k);
                out.add(e == null ? null : e.value());
            }
            return out;
        });
    }
}
