package org.mailsift.agent.daemon;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/**
 * The milter's scanner: adds our {@link VerdictSeal} to every verdict so that {@code mailsift deliver} on this host can
 * trust the headers instead of scanning again, and removes any seal that arrived from outside (first edit), so a sender
 * can never bring one along. The seal covers the message as the MTA will hold it after all of the milter's edits:
 * the result's header changes plus the milter's own X-Spam edit for "add header" (see the milter's VerdictReplies).
 */
final class SealingScanner implements MessageScanner {
    private final MessageScanner scanner;
    private final VerdictSeal seal;
    private final Supplier<String> spamHeader;
    private final Clock clock;

    /** @param spamHeader the milter's {@code spam_header} (read per message: SIGHUP may change it) */
    SealingScanner(MessageScanner scanner, VerdictSeal seal, Supplier<String> spamHeader, Clock clock) {
        this.scanner = scanner;
        this.seal = seal;
        this.spamHeader = spamHeader;
        this.clock = clock;
    }

    @Override
    public ScanResult scan(byte[] rawMessage, Envelope envelope) {
        ScanResult r = scanner.scan(rawMessage, envelope);
        List<HeaderChange> changes = new ArrayList<>();
        changes.add(HeaderChange.removeAll(VerdictSeal.HEADER));
        changes.addAll(r.headerChanges());
        if (!r.skipped()) {
            List<HeaderChange> asTheMtaWillHoldIt = new ArrayList<>(changes);
            if (r.action() == Action.ADD_HEADER) {
                asTheMtaWillHoldIt.add(HeaderChange.removeAll(spamHeader.get()));
                asTheMtaWillHoldIt.add(HeaderChange.set(spamHeader.get(), "Yes"));
            }
            changes.add(seal.sealHeader(rawMessage, asTheMtaWillHoldIt, clock.instant()));
        }
        return new ScanResult(r.score(), r.requiredScore(), r.action(), r.thresholds(), r.symbols(), r.messageId(),
                r.subject(), r.smtpMessage(), changes, r.skipped(), r.scanTimeSeconds(), r.bayes());
    }
}
