package org.mailsift.scanner.auth.dkim;

/**
 * The outcome of one signature.
 *
 * @param domain   d= (lower case), or "" when the signature could not be read
 * @param selector s=, or ""
 * @param shortB   first 8 characters of b= (header.b in Authentication-Results), or ""
 * @param reason   why it did not pass, or null
 */
public record DkimResult(Status status, String domain, String selector, String shortB, String reason) {
    /** Rspamd's four outcomes, with their DKIM_TRACE suffix and their Authentication-Results word. */
    public enum Status {
        PASS("+", "pass"), REJECT("-", "fail"), TEMPFAIL("?", "temperror"), PERMFAIL("~", "permerror");

        private final String trace;
        private final String arWord;

        Status(String trace, String arWord) {
            this.trace = trace;
            this.arWord = arWord;
        }

        public String trace() {
            return trace;
        }

        public String arWord() {
            return arWord;
        }
    }

    public static DkimResult of(Status status, DkimSignature sig, String reason) {
        return new DkimResult(status, sig.domain(), sig.selector(), sig.shortB(), reason);
    }
}
