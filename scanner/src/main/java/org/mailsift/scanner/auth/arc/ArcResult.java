package org.mailsift.scanner.auth.arc;

/**
 * The ARC chain's validation (RFC 8617 section 5.2).
 *
 * @param instances the number of ARC sets (0 when none)
 * @param domain    d= of the latest ARC-Seal, or null
 * @param selector  s= of the latest ARC-Seal, or null
 * @param reason    why it is not a pass, or null
 */
public record ArcResult(Outcome outcome, int instances, String domain, String selector, String reason) {
    public enum Outcome {
        PASS("ARC_ALLOW", "pass"), REJECT("ARC_REJECT", "fail"), INVALID("ARC_INVALID", "fail"),
        TEMPFAIL("ARC_DNSFAIL", "temperror"), NONE("ARC_NA", "none");

        private final String symbol;
        private final String cv;

        Outcome(String symbol, String cv) {
            this.symbol = symbol;
            this.cv = cv;
        }

        public String symbol() {
            return symbol;
        }

        /** The word for Authentication-Results and for the next seal's cv= ("pass", "fail", "none"). */
        public String cv() {
            return cv;
        }
    }

    public static ArcResult none() {
        return new ArcResult(Outcome.NONE, 0, null, null, null);
    }
}
