package org.mailsift.sieve.deliver;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/**
 * Scan verdicts for delivery tests. The sieve module cannot use the real scanner (feature modules do not depend on
 * each other), so tests give the verdict the scanner would have given, with its one list of header edits: forged
 * verdict headers and seals removed, X-Spamd-Result, and X-Spam: Yes for spam actions.
 */
final class Verdicts {
    private Verdicts() {
    }

    static ScanResult verdict(Action action, double score) {
        String result = String.format(Locale.ROOT, "default: False [%.2f / 15.00];\n\tTEST_SYMBOL(%.2f)", score, score);
        List<HeaderChange> edits = new java.util.ArrayList<>(List.of(HeaderChange.removeAll("X-Spam"),
                HeaderChange.removeAll("X-Spamd-Result"), HeaderChange.removeAll(VerdictSeal.HEADER),
                HeaderChange.add("X-Spamd-Result", result)));
        if (action.isSpam()) {
            edits.add(HeaderChange.add("X-Spam", "Yes"));
        }
        return new ScanResult(score, 15.0, action, Map.of("add header", 6.0, "reject", 15.0), List.of(), "undef", null, null,
                edits, 0.001, null);
    }

    /** Always answers {@code result}, and counts calls. */
    static final class Fixed implements MessageScanner {
        final ScanResult result;
        int calls;

        Fixed(ScanResult result) {
            this.result = result;
        }

        @Override
        public ScanResult scan(byte[] raw, org.mailsift.core.message.Envelope envelope) {
            calls++;
            return result;
        }
    }
}
