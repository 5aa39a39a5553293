package org.mailsift.scanner.policy.greylist;

/**
 * Greylisting records, in the embedded store or Redis. One call per message, atomic on the store: it reads both
 * records and, when {@code mayRecord}, writes what follows from them (see {@link GreylistRecords#decide}): a new sender
 * gets both records set to now, a passing one has both extended by {@code expire}; a young record is left alone.
 * Throws when the store cannot answer (the caller passes the message).
 */
public interface GreylistStore {
    GreylistRecords check(GreylistKeys keys, long nowSeconds, long timeoutSeconds, long expireSeconds, boolean mayRecord);

    /** "embedded" or "redis". */
    String kind();
}
