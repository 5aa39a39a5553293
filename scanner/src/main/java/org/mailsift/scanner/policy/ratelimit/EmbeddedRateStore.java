package org.mailsift.scanner.policy.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mailsift.scanner.store.embedded.ExpiringRecords;

/**
 * Rate buckets in the daemon's embedded policy records (no Redis configured): one record per bucket, expiring
 * {@code expire} after its last update as Rspamd's Redis keys do, so idle buckets go away by themselves and the
 * records stay bounded; they survive a restart (the records file is a log, see {@link ExpiringRecords}).
 */
public final class EmbeddedRateStore implements RateStore {
    private final Supplier<ExpiringRecords> records;

    /** @param records the shared policy records, opened on first use */
    public EmbeddedRateStore(Supplier<ExpiringRecords> records) {
        this.records = records;
    }

    @Override
    public List<Result> check(List<Bucket> buckets, long nowMillis, long expireSeconds) {
        return records.get().atomically(r -> {
            List<Result> out = new ArrayList<>(buckets.size());
            for (Bucket b : buckets) {
                ExpiringRecords.Entry e = r.get(b.key());
                LeakyBucket known = e == null ? null : LeakyBucket.decode(e.value());
                LeakyBucket.Check c = LeakyBucket.check(known, nowMillis, b.leakPerMilli(), b.burst(), b.increment(),
                        b.dynamic());
                // a new bucket gets its expiry; a check of a known one keeps it (as Rspamd's check script)
                long expires = known == null ? r.nowMillis() + expireSeconds * 1000 : e.expiresAtMillis();
                r.put(b.key(), c.state().encode(), expires);
                out.add(new Result(c.limited(), c.burst(), c.dynRate(), c.dynBurst()));
            }
            return out;
        });
    }

    @Override
    public void update(List<Update> updates, long nowMillis, long expireSeconds) {
        rewrite(updates.stream().map(Update::key).toList(), expireSeconds, (i, b) -> {
            Update u = updates.get(i);
            return LeakyBucket.update(b, nowMillis, u.rateMult(), u.burstMult(), u.maxRateMult(), u.maxBurstMult(),
                    u.increment(), u.dynamic());
        });
    }

    @Override
    public void cleanup(List<Bucket> buckets, long nowMillis, long expireSeconds) {
        rewrite(buckets.stream().map(Bucket::key).toList(), expireSeconds,
                (i, b) -> LeakyBucket.cleanup(b, nowMillis, buckets.get(i).increment()));
    }

    /** Replaces each bucket by {@code next(index, bucket)} (null: left as it is), expiring {@code expire} from now. */
    private void rewrite(List<String> keys, long expireSeconds,
                         java.util.function.BiFunction<Integer, LeakyBucket, LeakyBucket> next) {
        records.get().atomically(r -> {
            for (int i = 0; i < keys.size(); i++) {
                ExpiringRecords.Entry e = r.get(keys.get(i));
                LeakyBucket b = next.apply(i, e == null ? null : LeakyBucket.decode(e.value()));
                if (b != null) {
                    r.put(keys.get(i), b.encode(), r.nowMillis() + expireSeconds * 1000);
                }
            }
            return null;
        });
    }
}
