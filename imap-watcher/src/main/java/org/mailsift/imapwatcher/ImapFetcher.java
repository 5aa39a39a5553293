package org.mailsift.imapwatcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.mail.FetchProfile;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one account's watcher reads messages over IMAP: identities (size, Message-ID, our verdict headers) in one bulk
 * FETCH and bodies in batches of {@code BODY.PEEK[]}, or, after a bulk FETCH lost the connection, message by message
 * until a pass completes, so that a message the server drops the connection over is pinned down instead of failing
 * every pass. The one owner of that mode (it was toggled in six places of JunkReconciler).
 */
final class ImapFetcher {
    private static final Logger log = LoggerFactory.getLogger(ImapFetcher.class);

    private final String account;
    private final String spamHeader;
    private final String resultHeader;
    /** Set when a bulk FETCH lost the connection; cleared by the next pass that completes. */
    private boolean oneByOne;

    ImapFetcher(String account, String spamHeader, String resultHeader) {
        this.account = account;
        this.spamHeader = spamHeader;
        this.resultHeader = resultHeader;
    }

    /** A pass went through: back to one FETCH for many messages. */
    void passCompleted() {
        oneByOne = false;
    }

    /**
     * The raw bytes of {@code msgs} by UID, fetched as {@code BODY.PEEK[]} (the bytes {@link #raw} gets one by one),
     * {@link RawBodies#BATCH_MESSAGES} messages or {@link RawBodies#BATCH_BYTES} at most per command. A message missing from the answer
     * (expunged, or a batch the server or library failed on) is simply absent; the caller reads it on its own.
     */
    Map<Long, byte[]> rawBodies(IMAPFolder folder, TreeMap<Long, Message> msgs) throws MessagingException {
        Map<Long, byte[]> out = new java.util.HashMap<>();
        if (oneByOne) {
            return out;
        }
        List<Long> batch = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Long, Message> e : msgs.entrySet()) {
            long size = Math.max(0, sizeOf(e.getValue()));
            if (!batch.isEmpty() && (batch.size() >= RawBodies.BATCH_MESSAGES || bytes + size > RawBodies.BATCH_BYTES)) {
                fetchRaw(folder, batch, out);
                batch.clear();
                bytes = 0;
            }
            batch.add(e.getKey());
            bytes += size;
        }
        fetchRaw(folder, batch, out);
        return out;
    }

    private static int sizeOf(Message m) {
        try {
            return m.getSize();
        } catch (MessagingException e) {
            return 0;
        }
    }

    private void fetchRaw(IMAPFolder folder, List<Long> uids, Map<Long, byte[]> out) throws MessagingException {
        if (uids.isEmpty()) {
            return;
        }
        try {
            RawBodies.fetch(folder, uids, out);
        } catch (FolderClosedException | StoreClosedException lost) {
            oneByOne = true;
            throw lost;
        } catch (MessagingException batchFailed) {
            log.debug("{}: FETCH of {} messages' bytes in {} failed ({}); reading them one by one", account,
                    uids.size(), folder.getFullName(), batchFailed.getMessage());
        }
    }

    /**
     * One FETCH for what identities need: RFC822.SIZE and the Message-ID (plus our verdict headers for arrivals in
     * Junk) as {@code BODY.PEEK[HEADER.FIELDS (...)]}, deliberately without ENVELOPE. A message the server answers NO for
     * is simply left unloaded by angus-mail; reading it later fails for that message alone. A response the library
     * cannot parse fails the whole FETCH: then each message is read on its own, when it is used.
     */
    void identities(IMAPFolder folder, Message[] msgs, boolean verdictHeaders) throws MessagingException {
        if (oneByOne) {
            return; // see readOneByOne
        }
        try {
            folder.fetch(msgs, identityProfile(verdictHeaders));
        } catch (FolderClosedException | StoreClosedException lost) {
            oneByOne = true;
            throw lost;
        } catch (MessagingException bulk) {
            log.debug("{}: FETCH of {} messages in {} failed ({}); reading them one by one", account, msgs.length,
                    folder.getFullName(), bulk.getMessage());
        }
    }

    /**
     * After a bulk FETCH lost the connection, the next pass fetches message by message, so that a message the server
     * drops the connection over is pinned down ({@link UnreadableMessages}) instead of failing every pass.
     */
    void readOneByOne(IMAPFolder folder, Message m, boolean verdictHeaders) throws MessagingException {
        if (oneByOne) {
            folder.fetch(new Message[]{m}, identityProfile(verdictHeaders));
        }
    }

    private FetchProfile identityProfile(boolean verdictHeaders) {
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.SIZE);
        fp.add("Message-ID");
        if (verdictHeaders) {
            fp.add(spamHeader);
            fp.add(resultHeader);
        }
        return fp;
    }

    /** Message-ID and size, from the headers fetched above; the headers are read first, so size never needs ENVELOPE. */
    static MessageIdentity headerIdentity(Message m) throws MessagingException {
        String id = messageId(m);
        return new MessageIdentity(MessageIdentity.normalizeId(id), m.getSize(), null);
    }

    static String messageId(Message m) throws MessagingException {
        return first(m.getHeader("Message-ID"));
    }

    static byte[] raw(Message m) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, m.getSize()));
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read message: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }
}
