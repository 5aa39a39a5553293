package org.mailsift.imapwatcher;

import java.util.Map;
import java.util.TreeMap;

/**
 * What we last knew of one folder. For every folder: UIDVALIDITY and UIDNEXT (new arrivals since then are the
 * candidates when looking for where a message that left Junk went) and HIGHESTMODSEQ when the server has CONDSTORE.
 * For a Junk folder also its contents (UID -&gt; identity), so a message that vanished while we were not looking is
 * still known by content.
 */
public final class MailboxState {
    private long uidValidity;
    private long uidNext;
    private long highestModSeq;
    private final TreeMap<Long, MessageIdentity> contents = new TreeMap<>();

    public MailboxState(long uidValidity, long uidNext, long highestModSeq) {
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModSeq = highestModSeq;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    public void update(long newUidValidity, long newUidNext, long newHighestModSeq) {
        this.uidValidity = newUidValidity;
        this.uidNext = newUidNext;
        this.highestModSeq = newHighestModSeq;
    }

    /** UID -&gt; identity of the messages in this (Junk) folder, ascending. */
    public TreeMap<Long, MessageIdentity> contents() {
        return contents;
    }

    public long highestUid() {
        return contents.isEmpty() ? 0 : contents.lastKey();
    }

    public void replaceContents(Map<Long, MessageIdentity> now) {
        contents.clear();
        contents.putAll(now);
    }
}
