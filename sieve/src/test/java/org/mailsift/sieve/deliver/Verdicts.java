package org.mailsift.sieve.deliver;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/**
 * Scan verdicts for delivery tests. The sieve module cannot use the real scanner (feature modules do not depend on
 * each other), so tests give the verdict the scanner would have given, with the headers our milter block adds.
 */
final class Verdicts {
    private Verdicts() {
    }

    static ScanResult verdict(Action action, double score) {
        String result = String.format(Locale.ROOT, "default: False [%.2f / 15.00];\n\tTEST_SYMBOL(%.2f)", score, score);
        return new ScanResult(score, 15.0, action, Map.of("add header", 6.0, "reject", 15.0), List.of(), "undef", null, null,
                List.of(HeaderChange.removeAll("X-Spamd-Result"), HeaderChange.add("X-Spamd-Result", result)), false, 0.001, null);
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
