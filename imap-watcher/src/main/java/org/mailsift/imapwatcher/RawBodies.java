package org.mailsift.imapwatcher;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Many messages' raw bytes in one {@code UID FETCH uid,uid,... (UID BODY.PEEK[])}: angus-mail has no bulk API for
 * bodies (its fetch profiles load headers and flags only), so the command goes through {@link IMAPFolder#doCommand}.
 * Never marks anything \Seen.
 */
final class RawBodies {
    /** Limits of one FETCH, so a batch of big messages cannot exhaust the heap. */
    static final long BATCH_BYTES = 8L << 20;
    static final int BATCH_MESSAGES = 100;

    private RawBodies() {
    }

    /**
     * Puts each returned message's bytes into {@code out} by UID; a message missing from the answer (expunged, or one
     * the server answers NO for) is simply absent. Untagged EXISTS/EXPUNGE reach the folder as after any command.
     *
     * @throws MessagingException when the command fails as a whole (the connection is lost, or the library cannot parse
     *                            the answer); callers then read the messages one by one
     */
    static void fetch(IMAPFolder folder, List<Long> uids, Map<Long, byte[]> out) throws MessagingException {
        if (uids.isEmpty()) {
            return;
        }
        String set = uids.stream().map(String::valueOf).collect(Collectors.joining(","));
        folder.doCommand(p -> {
            Response[] r = p.command("UID FETCH " + set + " (UID BODY.PEEK[])", null);
            for (Response resp : r) {
                if (resp instanceof FetchResponse f) {
                    UID uid = f.getItem(UID.class);
                    BODY body = f.getItem(BODY.class);
                    if (uid != null && body != null && !body.isHeader() && body.getByteArray() != null) {
                        out.put(uid.uid, body.getByteArray().getNewBytes());
                    }
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            return null;
        });
    }
}
