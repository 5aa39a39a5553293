package org.mailsift.scanner.policy.ratelimit;

/**
 * Rspamd's rate bucket (lualib/redis_scripts/ratelimit_check.lua / ratelimit_update.lua), as the embedded store runs
 * it; the Redis store runs the same steps in a script ({@link RedisRateStore}). A bucket fills by one per recipient of
 * each message that passes and leaks at {@code rate} messages a second; a message is over the limit when the bucket
 * plus the messages still being scanned would exceed {@code burst}. Dynamic multipliers (Rspamd's ham/spam factors)
 * let a sender whose mail is ham leak faster and hold more, and one whose mail is spam slower and less.
 *
 * @param lastMillis last hit (epoch milliseconds)
 * @param burst      the bucket's level, in messages
 * @param pending    messages that passed the check and are still being scanned (Rspamd's {@code p})
 * @param dynRate    dynamic rate multiplier × 10000 ({@code dr})
 * @param dynBurst   dynamic burst multiplier × 10000 ({@code db})
 */
record LeakyBucket(long lastMillis, double burst, double pending, long dynRate, long dynBurst) {

    /** What a check found. */
    record Check(boolean limited, double burst, double dynRate, double dynBurst, double leaked, LeakyBucket state) {
    }

    /**
     * The check before the scan (ratelimit_check.lua): leaks what time has let out, then either finds the bucket over
     * the limit (nothing reserved) or reserves {@code increment} pending messages.
     *
     * @param leakPerMilli the bucket's rate in messages per millisecond
     * @param maxBurst     the bucket's burst
     * @param increment    this message's weight: its number of recipients, or 1 with {@code skip_recipients}
     */
    static Check check(LeakyBucket b, long now, double leakPerMilli, double maxBurst, int increment, boolean dynamic) {
        if (b == null) {
            return new Check(false, 0, 1, 1, 0, new LeakyBucket(now, 0, increment, 10000, 10000));
        }
        double burst = Math.max(0, b.burst);
        double pending = Math.max(0, b.pending) + increment;
        long last = b.lastMillis;
        double level = b.burst;
        double dynr = 0;
        double dynb = 0;
        double leaked = 0;
        if (burst > 0 && last < now) {
            dynr = dynamic ? multiplier(b.dynRate) : 1.0;
            leaked = Math.min(burst, (now - last) * leakPerMilli * dynr);
            burst -= leaked;
            level = b.burst - leaked;
            last = now;
        }
        dynb = dynamic ? multiplier(b.dynBurst) : 1.0;
        double total = burst + pending;
        if (total > 0 && total > maxBurst * dynb) {
            return new Check(true, total - pending, dynr, dynb, leaked,
                    new LeakyBucket(last, level, b.pending, b.dynRate, b.dynBurst));
        }
        return new Check(false, total, dynr, dynb, leaked,
                new LeakyBucket(last, level, Math.max(0, b.pending) + increment, b.dynRate, b.dynBurst));
    }

    /**
     * The update after the scan (ratelimit_update.lua): the message's pending weight moves into the bucket, and with
     * dynamic limits the verdict's factors move the multipliers (up to {@code maxRateMult} / {@code maxBurstMult},
     * down to their inverse).
     */
    static LeakyBucket update(LeakyBucket b, long now, double rateMult, double burstMult, double maxRateMult,
                              double maxBurstMult, int increment, boolean dynamic) {
        if (b == null) {
            return new LeakyBucket(now, increment, 0, 10000, 10000);
        }
        long dr = b.dynRate;
        long db = b.dynBurst;
        if (dynamic) {
            dr = adjust(dr, rateMult, maxRateMult);
            db = adjust(db, burstMult, maxBurstMult);
        }
        double burst = b.burst < 0 ? increment : b.burst + increment;
        double pending = b.pending < increment ? 0 : b.pending - increment;
        return new LeakyBucket(now, burst, pending, dr, db);
    }

    /** A message that passed the check but was not delivered (another module's pre-result): its reservation goes. */
    static LeakyBucket cleanup(LeakyBucket b, long now, int increment) {
        if (b == null) {
            return null;
        }
        return new LeakyBucket(now, b.burst, b.pending < increment ? 0 : b.pending - increment, b.dynRate, b.dynBurst);
    }

    private static double multiplier(long stored) {
        double m = stored / 10000.0;
        return m == 0 ? 0.0001 : m;
    }

    private static long adjust(long stored, double mult, double max) {
        if (max <= 1) {
            return stored;
        }
        double m = stored / 10000.0;
        if ((mult > 1.0 && m < max) || (mult < 1.0 && m > 1.0 / max)) {
            m *= mult;
            return m > 0.0001 ? (long) Math.floor(m * 10000) : 1;
        }
        return stored;
    }

    /** The stored form: {@code l,b,p,dr,db}, as the fields of Rspamd's Redis hash. */
    String encode() {
        return lastMillis + "," + burst + "," + pending + "," + dynRate + "," + dynBurst;
    }

    static LeakyBucket decode(String s) {
        if (s == null) {
            return null;
        }
        String[] f = s.split(",");
        try {
            return new LeakyBucket(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]));
        } catch (RuntimeException e) {
            return null; // a damaged record starts a new bucket
        }
    }
}
