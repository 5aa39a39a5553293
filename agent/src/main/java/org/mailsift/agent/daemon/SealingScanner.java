package org.mailsift.agent.daemon;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/**
 * The milter's scanner: appends our {@link VerdictSeal} to every verdict so that {@code mailsift deliver} on this host
 * can trust the headers instead of scanning again. The seal covers the message as the MTA will hold it after the
 * verdict's header edits, which are exactly the result's list (the milter adds none of its own); the scanner's list
 * already removes any seal that arrived from outside, so a sender can never bring one along.
 */
final class SealingScanner implements MessageScanner {
    private final MessageScanner scanner;
    private final VerdictSeal seal;
    private final Clock clock;

    SealingScanner(MessageScanner scanner, VerdictSeal seal, Clock clock) {
        this.scanner = scanner;
        this.seal = seal;
        this.clock = clock;
    }

    @Override
    public ScanResult scan(byte[] rawMessage, Envelope envelope) {
        ScanResult r = scanner.scan(rawMessage, envelope);
        List<HeaderChange> changes = new ArrayList<>(r.headerChanges());
        changes.add(seal.sealHeader(rawMessage, r.headerChanges(), clock.instant()));
        return r.withHeaderChanges(changes);
    }
}
