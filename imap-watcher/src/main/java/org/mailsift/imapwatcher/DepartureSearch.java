package org.mailsift.imapwatcher;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.search.MessageIDTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.mailsift.imapwatcher.JunkMoveDetector.Sighting;

/**
 * Finds where messages that left Junk went: searches a folder's new UID range for each departure's identity
 * (Message-ID and size; for a folder outside Trash the bytes too, which a ham learn needs), by SEARCH when the range
 * is large. JunkReconciler decides which folders and ranges; JunkMoveDetector decides what the sightings mean.
 */
final class DepartureSearch {
    /** Above this many new messages in a folder, candidates are narrowed by SEARCH HEADER Message-ID. */
    static final int SEARCH_THRESHOLD = 200;

    private final ImapFetcher fetcher;
    private final UnreadableMessages unreadable;

    DepartureSearch(ImapFetcher fetcher, UnreadableMessages unreadable) {
        this.fetcher = fetcher;
        this.unreadable = unreadable;
    }

    /** A message that left Junk, and where it was seen since. */
    static final class Departure {
        final MessageIdentity id;
        final List<Sighting> sightings = new ArrayList<>();
        byte[] raw;

        Departure(MessageIdentity id) {
            this.id = id;
        }

        boolean foundOutsideTrash() {
            return sightings.stream().anyMatch(s -> s.role() == FolderRole.ELSEWHERE);
        }
    }

    void search(IMAPStore store, FolderRole.Folder f, FolderRole role, long fromUid, long toUid,
                        List<Departure> departures) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(f.fullName());
        folder.open(Folder.READ_ONLY);
        try {
            Message[] range = folder.getMessagesByUID(fromUid, toUid);
            List<Message> present = new ArrayList<>();
            for (Message m : range) {
                if (m != null) {
                    present.add(m);
                }
            }
            if (present.isEmpty()) {
                return;
            }
            Message[] candidates = present.toArray(Message[]::new);
            for (Departure d : departures) {
                if (d.foundOutsideTrash() || d.id.equals(MessageIdentity.UNKNOWN)) {
                    continue;
                }
                Message[] pool = candidates;
                if (candidates.length > SEARCH_THRESHOLD && d.id.messageId() != null) {
                    Message[] found = folder.search(new MessageIDTerm(d.id.messageId()), candidates);
                    // SEARCH only narrows: when it finds nothing (the e2e's fifth batch of 50 rescues, 250 new INBOX
                    // messages, was never learned) the message may still be there, so every candidate is compared
                    pool = found.length > 0 ? found : candidates;
                }
                fetcher.identities(folder, pool, false);
                for (Message m : pool) {
                    long uid = folder.getUID(m);
                    if (unreadable.givenUp(f.fullName(), uid)) {
                        continue;
                    }
                    try {
                        fetcher.readOneByOne(folder, m, false);
                        if (!ImapFetcher.headerIdentity(m).sameMessage(d.id)) {
                            continue;
                        }
                        if (role == FolderRole.ELSEWHERE) {
                            byte[] raw = ImapFetcher.raw(m);
                            if (!MessageIdentity.of(ImapFetcher.messageId(m), raw).sameMessage(d.id)) {
                                continue; // same Message-ID and size, different bytes: another copy, not our message
                            }
                            d.raw = raw;
                        }
                    } catch (MessageRemovedException gone) {
                        continue;
                    } catch (MessagingException unreadableNow) {
                        unreadable.failed(f.fullName(), uid, unreadableNow); // cannot be ours, as far as we can tell
                        continue;
                    }
                    d.sightings.add(new Sighting(f.fullName(), role));
                    break;
                }
            }
        } finally {
            folder.close(false);
        }
    }
}
