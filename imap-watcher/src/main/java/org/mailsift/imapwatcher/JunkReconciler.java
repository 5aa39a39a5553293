package org.mailsift.imapwatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.imapwatcher.JunkMoveDetector.Decision;
import org.mailsift.imapwatcher.LearnRetryPool.LearnTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one Junk folder's recorded state in line with the server and learns what users did in between. The same
 * pass serves a fresh IDLE wake-up, a poll, and catching up at start after downtime:
 * <ol>
 *   <li>UIDs above the last known UIDNEXT are arrivals in Junk: spam, unless the filter filed them itself;</li>
 *   <li>recorded UIDs that are gone left Junk. Where to? Every other folder's UIDNEXT is compared (STATUS) with the one
 *       recorded at the last pass; only the new UIDs of folders that grew are looked at, for a message with the same
 *       Message-ID, size and digest. Found outside Trash: ham. In Trash or nowhere: nothing.</li>
 * </ol>
 * This needs one IDLE connection per account (on Junk), not one per folder, and costs a LIST plus one STATUS per
 * folder only when something left Junk. A changed UIDVALIDITY makes the folder's contents the new baseline, without
 * learning anything.
 * <p>
 * A message's identity comes from {@code BODY.PEEK[HEADER.FIELDS (MESSAGE-ID ...)]}, RFC822.SIZE and its bytes, never
 * from ENVELOPE: real spam has headers ({@code Date: ... -1600}, {@code To: <C:`Bulk...>}) for which servers send an
 * ENVELOPE the client library cannot parse. A message that still cannot be read is skipped and retried at the next
 * pass ({@link UnreadableMessages}); it never stops the account.
 */
final class JunkReconciler {
    private static final Logger log = LoggerFactory.getLogger(JunkReconciler.class);

    private final AccountSettings account;
    private final WatcherSettings settings;
    private final AccountState state;
    private final JunkMoveDetector detector;
    private final AccountStatus status;
    private final Consumer<LearnTask> learn;
    private final UnreadableMessages unreadable;

    JunkReconciler(AccountSettings account, WatcherSettings settings, AccountState state, AccountStatus status,
                   Consumer<LearnTask> learn) {
        this.account = account;
        this.settings = settings;
        this.state = state;
        this.status = status;
        this.learn = learn;
        this.detector = new JunkMoveDetector(settings.spamHeader(), settings.resultHeader());
        this.unreadable = new UnreadableMessages(account.name(), status);
        this.fetcher = new ImapFetcher(account.name(), settings.spamHeader(), settings.resultHeader());
        this.departureSearch = new DepartureSearch(fetcher, unreadable);
    }

    /** What one pass found, for logs and tests. */
    record Pass(int arrivals, int departures) {
    }

    /** Expunged message objects angus-mail keeps in the open folder's list; the watcher reopens Junk past a limit. */
    private int expungedHeld;
    /** Reads identities and bodies, in bulk or (after a lost connection) one by one. */
    private final ImapFetcher fetcher;
    private final DepartureSearch departureSearch;

    int expungedHeld() {
        return expungedHeld;
    }

    /**
     * What the open folder had been told (EXISTS, others' EXPUNGE) when the last pass listed it. angus-mail keeps
     * expunged messages in the list while the folder stays open, so both numbers only grow meanwhile.
     */
    private record Mark(int listed, int expunged) {
    }

    private Mark lastMark = new Mark(-1, -1);

    /** Each other folder's STATUS at the last departure pass: what the next one makes the baseline (see departures). */
    private final Map<String, Status> seenAtLastPass = new java.util.HashMap<>();

    /**
     * Whether the server announced arrivals or expunges in {@code junk} after the last pass listed it: announcements
     * that came in with a later command's answers (the pass's own FETCHes). IDLE reports only what happens after it
     * starts, so without this check a burst filed into Junk while a pass was reading would wait, unseen, until the
     * next change; if that change is the user moving the burst out again, the burst is never seen in Junk at all.
     */
    boolean notifiedSinceLastPass(IMAPFolder junk) throws MessagingException {
        if (!junk.isOpen()) {
            return true;
        }
        Message[] msgs = junk.getMessages();
        int expunged = 0;
        for (Message m : msgs) {
            if (m.isExpunged()) {
                expunged++;
            }
        }
        return !new Mark(msgs.length, expunged).equals(lastMark);
    }

    /**
     * @param junk      an open (read-only) Junk folder of {@code store}; all commands go over its connection, and when
     *                  other folders must be searched it is closed meanwhile and reopened, so an account never holds
     *                  more than one connection to the server
     * @param condstore whether the server has CONDSTORE
     */
    Pass reconcile(IMAPStore store, IMAPFolder junk, boolean condstore) throws MessagingException {
        long t0 = System.nanoTime();
        Pass pass = pass(store, junk, condstore);
        log.debug("{}: pass over {} took {} ms: {}", account.name(), junk.getFullName(), (System.nanoTime() - t0) / 1_000_000, pass);
        fetcher.passCompleted();
        return pass;
    }

    private Pass pass(IMAPStore store, IMAPFolder junk, boolean condstore) throws MessagingException {
        String name = junk.getFullName();
        long validity = junk.getUIDValidity();
        TreeMap<Long, Message> now = currentMessages(junk);
        long uidNext = Math.max(junk.getUIDNext(), now.isEmpty() ? 1 : now.lastKey() + 1);
        long modSeq = condstore ? highestModSeq(junk) : 0;
        boolean firstStart = state.isNew();
        MailboxState js = state.folder(name);
        if (js == null || js.uidValidity() != validity) {
            baseline(junk, now, js);
            state.folderOrCreate(name, validity, uidNext, modSeq).update(validity, uidNext, modSeq);
            if (firstStart) {
                baselineOtherFolders(junk);
            }
            state.save();
            return new Pass(0, 0);
        }
        if (uidNext <= js.uidNext() && now.keySet().equals(js.contents().keySet())) {
            log.debug("{}: {} unchanged ({} messages)", account.name(), name, now.size());
            return new Pass(0, 0); // nothing arrived, nothing left: no state to write
        }
        // arrivals: every UID present but not recorded, i.e. new ones and ones an earlier pass could not read
        TreeMap<Long, Message> arrived = new TreeMap<>(now);
        arrived.keySet().removeAll(js.contents().keySet());
        arrivals(junk, arrived, js);
        Map<Long, MessageIdentity> vanished = new LinkedHashMap<>();
        js.contents().forEach((uid, id) -> {
            if (!now.containsKey(uid)) {
                vanished.put(uid, id);
            }
        });
        if (!vanished.isEmpty()) {
            vanished.keySet().forEach(js.contents()::remove);
            departures(store, junk, new ArrayList<>(vanished.values()), js.contents().keySet());
        }
        js.update(validity, uidNext, modSeq);
        state.save();
        log.debug("{}: {} pass: {} arrived, {} left, {} now", account.name(), name, arrived.size(), vanished.size(), now.size());
        return new Pass(arrived.size(), vanished.size());
    }

    /** HIGHESTMODSEQ where the server has CONDSTORE (kept in the state for diagnostics and future QRESYNC), else 0. */
    private static long highestModSeq(IMAPFolder junk) {
        try {
            return Math.max(0, junk.getHighestModSeq());
        } catch (MessagingException e) {
            return 0;
        }
    }

    private TreeMap<Long, Message> currentMessages(IMAPFolder junk) throws MessagingException {
        Message[] msgs = junk.getMessages();
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        junk.fetch(msgs, fp);
        TreeMap<Long, Message> now = new TreeMap<>();
        expungedHeld = 0;
        for (Message m : msgs) {
            if (m.isExpunged()) {
                expungedHeld++;
                continue; // another client's EXPUNGE: angus keeps the object (with its cached UID) in the list
            }
            try {
                long uid = junk.getUID(m);
                if (uid > 0) {
                    now.put(uid, m);
                }
            } catch (MessageRemovedException gone) {
                // expunged while we looked: the next pass sees it as vanished
            }
        }
        lastMark = new Mark(msgs.length, expungedHeld);
        return now;
    }

    /** Records the folder's contents from headers only (Message-ID, size), learning nothing. */
    private void baseline(IMAPFolder junk, TreeMap<Long, Message> now, MailboxState previous) throws MessagingException {
        fetcher.identities(junk, now.values().toArray(Message[]::new), false);
        Map<Long, MessageIdentity> ids = new TreeMap<>();
        String name = junk.getFullName();
        for (Map.Entry<Long, Message> e : now.entrySet()) {
            if (unreadable.givenUp(name, e.getKey())) {
                ids.put(e.getKey(), MessageIdentity.UNKNOWN);
                unreadable.forget(name, e.getKey());
                continue;
            }
            try {
                fetcher.readOneByOne(junk, e.getValue(), false);
                ids.put(e.getKey(), ImapFetcher.headerIdentity(e.getValue()));
            } catch (MessageRemovedException gone) {
                // expunged meanwhile: not part of the baseline
            } catch (MessagingException unreadableNow) {
                unreadable.failed(name, e.getKey(), unreadableNow); // rethrows a lost connection
                // recorded as unknown: a baseline learns nothing anyway, and leaving it out would learn it later
                ids.put(e.getKey(), MessageIdentity.UNKNOWN);
                unreadable.forget(name, e.getKey());
            }
        }
        if (previous != null) {
            log.warn("{}: UIDVALIDITY of {} changed ({} -> {}): resynchronised {} messages without learning",
                    account.name(), junk.getFullName(), previous.uidValidity(), junk.getUIDValidity(), ids.size());
            status.event("UIDVALIDITY of " + junk.getFullName() + " changed: resynchronised without learning");
            previous.replaceContents(ids);
        } else {
            state.folderOrCreate(junk.getFullName(), junk.getUIDValidity(), 0, 0).replaceContents(ids);
        }
    }

    /** At the very first start: remember every other folder's UIDNEXT, so later searches look only at newer mail. */
    private void baselineOtherFolders(IMAPFolder junk) throws MessagingException {
        FolderRole.Roles roles = roles(junk);
        for (FolderRole.Folder f : concat(roles.elsewhere(), roles.trash())) {
            Status st = status(junk, f.fullName());
            state.folderOrCreate(f.fullName(), st.uidvalidity, st.uidnext, 0).update(st.uidvalidity, st.uidnext, 0);
        }
    }

    /**
     * Two rounds, so that a burst of arrivals is on record before the user can move any of it on: first every arrival's
     * identity from the one bulk FETCH of headers (no further round trip: the filter's own deliveries are done there),
     * saved; then the bytes of the user's moves into Junk, a batch per FETCH, to learn them as spam. A message moved out
     * meanwhile keeps its header identity, so its departure is still seen.
     */
    private void arrivals(IMAPFolder junk, TreeMap<Long, Message> arrived, MailboxState js) throws MessagingException {
        if (arrived.isEmpty()) {
            return;
        }
        String name = junk.getFullName();
        fetcher.identities(junk, arrived.values().toArray(Message[]::new), true);
        TreeMap<Long, Message> spam = new TreeMap<>();
        for (Map.Entry<Long, Message> e : arrived.entrySet()) {
            long uid = e.getKey();
            Message m = e.getValue();
            if (unreadable.givenUp(name, uid)) {
                js.contents().put(uid, MessageIdentity.UNKNOWN); // never learned, no longer retried
                unreadable.forget(name, uid);
                continue;
            }
            try {
                fetcher.readOneByOne(junk, m, true);
                Decision d = detector.arrivalInJunk(name, first(m.getHeader(settings.spamHeader())),
                        first(m.getHeader(settings.resultHeader())));
                js.contents().put(uid, ImapFetcher.headerIdentity(m));
                if (d.outcome() == JunkMoveDetector.Outcome.OWN_DELIVERY) {
                    status.event("filed into " + name + " by the filter: " + describe(m));
                    status.filedByFilter();
                    unreadable.forget(name, uid);
                } else {
                    spam.put(uid, m);
                }
            } catch (MessageRemovedException gone) {
                unreadable.forget(name, uid); // expunged while we looked: the next pass sees it as gone
            } catch (MessagingException failed) {
                unreadable.failed(name, uid, failed); // not recorded: the next pass tries again (a lost connection is rethrown)
            }
        }
        if (spam.isEmpty()) {
            return;
        }
        state.save();
        Map<Long, byte[]> bodies = fetcher.rawBodies(junk, spam);
        for (Map.Entry<Long, Message> e : spam.entrySet()) {
            long uid = e.getKey();
            Message m = e.getValue();
            try {
                byte[] raw = bodies.get(uid);
                if (raw == null) {
                    raw = ImapFetcher.raw(m); // not in a batch (see rawBodies): on its own
                }
                MessageIdentity id = MessageIdentity.of(js.contents().get(uid).messageId(), raw);
                js.contents().put(uid, id);
                status.moveDecided(); // before the learn can be stored: a test that sees the learn sees the count
                submit(LearnClass.SPAM, raw, "into " + name + ": " + describe(id));
                unreadable.forget(name, uid);
            } catch (MessageRemovedException gone) {
                unreadable.forget(name, uid); // moved on before we read it: recorded by headers, its departure is seen
            } catch (MessagingException failed) {
                js.contents().remove(uid); // not learned: the next pass tries again (a lost connection is rethrown)
                unreadable.failed(name, uid, failed);
            }
        }
    }

    /**
     * Learns where {@code gone} went. {@code stillRecorded} are the UIDs still in Junk at this pass's listing: if one of
     * them leaves while the other folders are being looked at, its copy may already lie below the UIDNEXT just read, so
     * the folders' baselines stay where they were and the next pass searches that range again.
     */
    private void departures(IMAPStore store, IMAPFolder junk, List<MessageIdentity> gone, Set<Long> stillRecorded)
            throws MessagingException {
        List<DepartureSearch.Departure> departures = gone.stream().map(DepartureSearch.Departure::new).toList();
        FolderRole.Roles roles = roles(junk);
        // which folders grew since the last look (STATUS over the Junk connection); look outside Trash first
        record Grown(FolderRole.Folder folder, long fromUid, long toUid) {
        }
        List<Grown> grown = new ArrayList<>();
        Map<String, Status> seen = new LinkedHashMap<>();
        for (FolderRole.Folder f : concat(roles.elsewhere(), roles.trash())) {
            Status st = status(junk, f.fullName());
            seen.put(f.fullName(), st);
            MailboxState fs = state.folder(f.fullName());
            // a folder unknown so far (created since) or re-created (UIDVALIDITY changed) is searched from its start
            long from = fs == null || fs.uidValidity() != st.uidvalidity ? 1 : fs.uidNext();
            if (st.uidnext > from) {
                grown.add(new Grown(f, from, st.uidnext - 1));
            }
        }
        if (!grown.isEmpty()) {
            junk.close(false); // hands its connection to the searches below
            try {
                for (Grown g : grown) {
                    if (departures.stream().allMatch(DepartureSearch.Departure::foundOutsideTrash)) {
                        break;
                    }
                    departureSearch.search(store, g.folder(), roles.of(g.folder().fullName()), g.fromUid(), g.toUid(), departures);
                }
            } finally {
                junk.open(Folder.READ_ONLY);
            }
        }
        // only now, with every search done, move the baselines on (a failed search is redone after reconnecting) --
        // unless more left Junk meanwhile (Junk was reopened above, so its listing is fresh)
        if (!grown.isEmpty() && !currentMessages(junk).keySet().containsAll(stillRecorded)) {
            log.debug("{}: more left {} during this pass; the next pass searches the same folder range again",
                    account.name(), junk.getFullName());
        } else {
            // baselines move one pass late: a server's MOVE makes the copy visible (UIDNEXT) before the expunge from
            // Junk (Dovecot: two transactions), so a message this pass still listed in Junk may already have its copy
            // below the UIDNEXT just read; the next pass searches from the previous UIDNEXT and finds it there (the
            // e2e lost 50 to 100 of 250 rescues moved in five back-to-back MOVEs)
            seen.forEach((folder, st) -> {
                Status previous = seenAtLastPass.put(folder, st);
                if (previous != null && previous.uidvalidity == st.uidvalidity) {
                    state.folderOrCreate(folder, previous.uidvalidity, previous.uidnext, 0)
                            .update(previous.uidvalidity, previous.uidnext, 0);
                }
            });
        }
        for (DepartureSearch.Departure d : departures) {
            Decision decision = detector.departureFromJunk(d.sightings);
            String what = describe(d.id);
            status.moveDecided();
            switch (decision.outcome()) {
                case LEARN_HAM -> submit(LearnClass.HAM, d.raw, "from " + junk.getFullName() + " to " + decision.folder() + ": " + what);
                case TRASHED -> status.event("moved from " + junk.getFullName() + " to " + decision.folder() + ", not learned: " + what);
                default -> status.event("deleted from " + junk.getFullName() + ", not learned: " + what);
            }
        }
    }

    private FolderRole.Roles roles(IMAPFolder via) throws MessagingException {
        return FolderRole.resolve(FolderLister.list(via), settings.junkFolders(), settings.trashFolders());
    }

    private static Status status(IMAPFolder junk, String folder) throws MessagingException {
        return (Status) junk.doCommand(p -> p.status(folder, new String[]{"UIDNEXT", "UIDVALIDITY"}));
    }

    private void submit(LearnClass cls, byte[] raw, String what) {
        String user = settings.perUser() ? account.learnUser() : null;
        learn.accept(new LearnTask(status, cls, raw, user, what, System.nanoTime()));
    }

    private static String describe(Message m) throws MessagingException {
        String id = MessageIdentity.normalizeId(ImapFetcher.messageId(m));
        return id != null ? id : "(no Message-ID, " + m.getSize() + " bytes)";
    }

    private static String describe(MessageIdentity id) {
        if (id.equals(MessageIdentity.UNKNOWN)) {
            return "(a message that could not be read)";
        }
        return id.messageId() != null ? id.messageId() : "(no Message-ID, " + id.size() + " bytes)";
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
