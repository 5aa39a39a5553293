package org.mailsift.scanner.auth.spf;

/**
 * An SPF verdict (RFC 7208 section 2.6) for one identity.
 *
 * @param identity the checked address ("postmaster@HELO" for the null sender)
 * @param domain   its domain
 * @param helo     whether the HELO name was checked (null sender)
 * @param reason   what went wrong, for permerror / temperror; else the matching mechanism
 */
public record SpfResult(Result result, String identity, String domain, boolean helo, String reason) {
    public enum Result {
        PASS("R_SPF_ALLOW", "pass"), FAIL("R_SPF_FAIL", "fail"), SOFTFAIL("R_SPF_SOFTFAIL", "softfail"),
        NEUTRAL("R_SPF_NEUTRAL", "neutral"), NONE("R_SPF_NA", "none"), TEMPERROR("R_SPF_DNSFAIL", "temperror"),
        PERMERROR("R_SPF_PERMFAIL", "permerror");

        private final String symbol;
        private final String word;

        Result(String symbol, String word) {
            this.symbol = symbol;
            this.word = word;
        }

        public String symbol() {
            return symbol;
        }

        public String word() {
            return word;
        }
    }
}
