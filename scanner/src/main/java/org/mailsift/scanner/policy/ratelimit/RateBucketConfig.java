package org.mailsift.scanner.policy.ratelimit;

/**
 * One bucket of a rate, resolved against the module defaults.
 *
 * @param burst          how many messages the bucket holds ({@code burst = 100})
 * @param rate           how fast it leaks, in messages a second ({@code rate = "1 / 1m"} = 1/60)
 * @param symbol         insert this symbol instead of soft-rejecting, or null
 * @param message        the soft reject text instead of {@code Ratelimit "NAME" exceeded}, or null
 * @param skipSoftReject only log (and insert the symbols), never soft-reject
 * @param skipRecipients a message counts once, not once per recipient
 * @param dynamic        whether the ham/spam factors move this bucket's multipliers
 */
public record RateBucketConfig(double burst, double rate, String symbol, String message, boolean skipSoftReject,
                               boolean skipRecipients, boolean dynamic, double hamFactorRate, double spamFactorRate,
                               double hamFactorBurst, double spamFactorBurst, double maxRateMult,
                               double maxBucketMult) {

    /** Rspamd's bucket id inside a key: {@code round(100000 / burst)}. */
    String burstId() {
        return LuaNumbers.format(Math.floor(100000.0 / burst + 0.5));
    }
}
