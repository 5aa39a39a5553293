package org.mailsift.scanner.policy.greylist;

/**
 * What the store holds for a message's two keys (epoch seconds of the record's creation, or null), and what Rspamd's
 * greylist decides from them: a record younger than {@code timeout} greylists ("too early"), an older one lets the
 * message pass (the body record first; the meta record is consulted when there is no body record or it is young),
 * none at all is a new sender.
 */
public record GreylistRecords(Long body, Long meta) {
    public static final GreylistRecords NONE = new GreylistRecords(null, null);

    public enum Kind { NEW, TOO_EARLY, PASS }

    /**
     * @param passedBy  for PASS: "body" or "meta", the record that let it pass
     * @param untilSeconds for TOO_EARLY: when the greylisting ends (epoch seconds)
     */
    public record Decision(Kind kind, String passedBy, long untilSeconds) {
    }

    public Decision decide(long nowSeconds, long timeoutSeconds) {
        boolean youngBody = body != null && nowSeconds - body < timeoutSeconds;
        String passedBy = body != null && !youngBody ? "body" : null;
        boolean youngMeta = false;
        if (meta != null && (body == null || youngBody)) {
            youngMeta = nowSeconds - meta < timeoutSeconds;
            if (!youngMeta) {
                passedBy = "meta";
            }
        }
        if (youngBody || youngMeta) {
            long until = Math.min(youngBody ? body + timeoutSeconds : Long.MAX_VALUE,
                    youngMeta ? meta + timeoutSeconds : Long.MAX_VALUE);
            return new Decision(Kind.TOO_EARLY, null, until);
        }
        if (passedBy != null) {
            return new Decision(Kind.PASS, passedBy, 0);
        }
        return new Decision(Kind.NEW, null, 0);
    }
}
