package org.mailsift.imapwatcher;

import java.util.List;
import java.util.Locale;

/**
 * The learning rules, free of IMAP so they can be tested directly:
 * <ul>
 *   <li>a message arriving in Junk is spam (moved there by MOVE, COPY+EXPUNGE or APPEND, from any folder), unless it is
 *       the filter's own delivery: it carries our {@code X-Spam: Yes} and our {@code X-Spamd-Result} header, so the filter
 *       already knew it was spam;</li>
 *   <li>a message leaving Junk is ham when it turns up in any folder other than Trash (INBOX, Archive, a user folder),
 *       including a message the filter filed there itself: that is the user correcting us;</li>
 *   <li>leaving Junk for Trash, or vanishing altogether (deleted), teaches nothing.</li>
 * </ul>
 */
public final class JunkMoveDetector {
    private final String spamHeader;
    private final String resultHeader;

    public JunkMoveDetector(String spamHeader, String resultHeader) {
        this.spamHeader = spamHeader;
        this.resultHeader = resultHeader;
    }

    public enum Outcome {
        LEARN_SPAM, LEARN_HAM, OWN_DELIVERY, TRASHED, DELETED
    }

    /** @param folder the folder the message was found in (for ham: the destination), or null */
    public record Decision(Outcome outcome, String folder) {
    }

    /** Where a message that left Junk was found again. */
    public record Sighting(String folder, FolderRole role) {
    }

    public String spamHeader() {
        return spamHeader;
    }

    public String resultHeader() {
        return resultHeader;
    }

    /**
     * @param spamHeaderValue   value of our spam header (X-Spam) or null
     * @param resultHeaderValue value of our result header (X-Spamd-Result) or null
     */
    public Decision arrivalInJunk(String junkFolder, String spamHeaderValue, String resultHeaderValue) {
        boolean ours = spamHeaderValue != null && spamHeaderValue.trim().toLowerCase(Locale.ROOT).startsWith("yes")
                && resultHeaderValue != null;
        return new Decision(ours ? Outcome.OWN_DELIVERY : Outcome.LEARN_SPAM, junkFolder);
    }

    /** @param sightings where the message was found after it left Junk (empty when nowhere) */
    public Decision departureFromJunk(List<Sighting> sightings) {
        for (Sighting s : sightings) {
            if (s.role() == FolderRole.ELSEWHERE) {
                return new Decision(Outcome.LEARN_HAM, s.folder());
            }
        }
        for (Sighting s : sightings) {
            if (s.role() == FolderRole.TRASH) {
                return new Decision(Outcome.TRASHED, s.folder());
            }
        }
        // found only in another Junk folder (Junk -> Spam) or nowhere (expunged for good): nothing to learn
        return new Decision(Outcome.DELETED, sightings.isEmpty() ? null : sightings.get(0).folder());
    }
}
