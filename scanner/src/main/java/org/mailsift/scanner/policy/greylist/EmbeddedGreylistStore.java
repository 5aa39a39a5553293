package org.mailsift.scanner.policy.greylist;

import java.util.function.Supplier;

import org.mailsift.scanner.store.embedded.ExpiringRecords;

/** Greylisting records in the daemon's embedded policy records (opened on first use). */
public final class EmbeddedGreylistStore implements GreylistStore {
    private final Supplier<ExpiringRecords> records;

    public EmbeddedGreylistStore(Supplier<ExpiringRecords> records) {
        this.records = records;
    }

    @Override
    public GreylistRecords check(GreylistKeys keys, long nowSeconds, long timeoutSeconds, long expireSeconds,
                                 boolean mayRecord) {
        return records.get().atomically(r -> {
            GreylistRecords found = new GreylistRecords(seconds(r.get(keys.body())), seconds(r.get(keys.meta())));
            if (mayRecord) {
                long expiresAt = r.nowMillis() + expireSeconds * 1000; // as a Redis TTL: from the store's now
                switch (found.decide(nowSeconds, timeoutSeconds).kind()) {
                    case NEW -> {
                        r.put(keys.body(), Long.toString(nowSeconds), expiresAt);
                        r.put(keys.meta(), Long.toString(nowSeconds), expiresAt);
                    }
                    case PASS -> {
                        r.expire(keys.body(), expiresAt);
                        r.expire(keys.meta(), expiresAt);
                    }
                    case TOO_EARLY -> { }
                }
            }
            return found;
        });
    }

    private static Long seconds(ExpiringRecords.Entry e) {
        if (e == null) {
            return null;
        }
        try {
            return Long.parseLong(e.value());
        } catch (NumberFormatException bad) {
            return null; // not ours: as Rspamd, a value that is no number counts as no record
        }
    }

    @Override
    public String kind() {
        return "embedded";
    }
}
