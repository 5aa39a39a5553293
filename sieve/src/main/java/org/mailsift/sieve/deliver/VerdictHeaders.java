package org.mailsift.sieve.deliver;

import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.sieve.engine.MailMessage;

/**
 * Puts a scan verdict into the message the way our milter does: first every verdict header a sender may have
 * forged is removed (and a seal that did not verify), then the scanner's header edits are applied, the subject is rewritten for "rewrite subject",
 * and every spam action (add header and stronger) gets {@code X-Spam: Yes}, which spam-to-junk.sieve files into
 * Junk. Local delivery cannot reject at SMTP time, so reject verdicts are filed into Junk too.
 */
public final class VerdictHeaders {
    static final List<String> OURS = VerdictSeal.COVERED;

    private VerdictHeaders() {
    }

    /** {@code mailsift filter}: scans the message and returns it with the verdict headers (vnd.dovecot.filter). */
    public static byte[] filter(byte[] raw, org.mailsift.core.scan.MessageScanner scanner, org.mailsift.core.message.Envelope envelope) {
        MailMessage message = MailMessage.parse(raw);
        return apply(message, scanner.scan(message.raw(), envelope)).raw();
    }

    public static MailMessage apply(MailMessage message, ScanResult result) {
        List<HeaderChange> changes = new ArrayList<>();
        OURS.forEach(h -> changes.add(HeaderChange.removeAll(h)));
        changes.add(HeaderChange.removeAll(VerdictSeal.HEADER)); // it did not verify, or we would not be scanning
        changes.addAll(result.headerChanges());
        if (result.action() == Action.REWRITE_SUBJECT && result.subject() != null) {
            changes.add(HeaderChange.set("Subject", result.subject()));
        }
        MailMessage edited = message.withHeaderChanges(changes);
        if (result.action().isSpam() && edited.header("X-Spam").isEmpty()) {
            edited = edited.withHeaderChanges(List.of(HeaderChange.add("X-Spam", "Yes")));
        }
        return edited;
    }
}
