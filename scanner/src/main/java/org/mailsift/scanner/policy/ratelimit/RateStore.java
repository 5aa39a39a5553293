package org.mailsift.scanner.policy.ratelimit;

import java.util.List;

/**
 * Where the rate buckets live: the embedded records or Redis. Each call is one atomic step over all of a message's
 * buckets and, for Redis, one round trip. A store that cannot answer throws; the module then lets the message pass
 * (fail open).
 */
public interface RateStore {
    /**
     * One bucket to check.
     *
     * @param key          the bucket's key (Rspamd's {@code RL<hash>})
     * @param leakPerMilli messages per millisecond it leaks
     * @param burst        how many messages it holds
     * @param increment    this message's weight (recipients, or 1)
     * @param dynamic      whether the dynamic multipliers apply
     */
    record Bucket(String key, double leakPerMilli, double burst, int increment, boolean dynamic) {
    }

    /** One bucket's update after the scan, with the verdict's factors. */
    record Update(String key, double rateMult, double burstMult, double maxRateMult, double maxBurstMult, int increment,
                  boolean dynamic) {
    }

    /** A check's answer for one bucket: over the limit or not, and the level and multipliers seen (for the log). */
    record Result(boolean limited, double burst, double dynRate, double dynBurst) {
    }

    /** Checks every bucket, reserving the message in those under their limit; answers in the same order. */
    List<Result> check(List<Bucket> buckets, long nowMillis, long expireSeconds);

    /** Moves each reserved message into its bucket and applies the verdict's factors. */
    void update(List<Update> updates, long nowMillis, long expireSeconds);

    /** Drops the reservations of a message that was not accepted after all. */
    void cleanup(List<Bucket> buckets, long nowMillis, long expireSeconds);
}
