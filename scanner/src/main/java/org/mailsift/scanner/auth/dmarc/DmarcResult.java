package org.mailsift.scanner.auth.dmarc;

/**
 * The DMARC outcome for a message.
 *
 * @param fromDomain the RFC5322.From domain, or null
 * @param policy     the policy that applies (p, or sp for a subdomain), or null
 * @param reason     for failures: "No valid SPF, No valid DKIM" or the like
 * @param sampledOut pct= excluded this message from the policy
 */
public record DmarcResult(Outcome outcome, String fromDomain, DmarcRecord.Policy policy, String reason, boolean sampledOut) {
    public enum Outcome { PASS, FAIL, NONE, TEMPERROR, PERMERROR }

    /** Rspamd's symbol for this outcome. */
    public String symbol() {
        return switch (outcome) {
            case PASS -> "DMARC_POLICY_ALLOW";
            case NONE -> "DMARC_NA";
            case TEMPERROR -> "DMARC_DNSFAIL";
            case PERMERROR -> "DMARC_BAD_POLICY";
            case FAIL -> sampledOut || policy == DmarcRecord.Policy.NONE ? "DMARC_POLICY_SOFTFAIL"
                    : policy == DmarcRecord.Policy.REJECT ? "DMARC_POLICY_REJECT" : "DMARC_POLICY_QUARANTINE";
        };
    }
}
