package org.mailsift.imapwatcher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of one account the server would not let us read (a FETCH answered NO, a broken file in the user's
 * Maildir, a response the client library cannot parse). Such a message is skipped and tried again at the next pass
 * of its folder, so one bad message never stalls the account; it is reported once (WARN, and as the account's last
 * error), and given up after {@link #ATTEMPTS} tries. Only the reconciler's thread uses it.
 */
final class UnreadableMessages {
    private static final Logger log = LoggerFactory.getLogger(UnreadableMessages.class);
    static final int ATTEMPTS = 5;

    private final String account;
    private final AccountStatus status;
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    UnreadableMessages(String account, AccountStatus status) {
        this.account = account;
        this.status = status;
    }

    /**
     * Records a failed read. A lost connection is not the message's fault: it is rethrown, so the account reconnects.
     *
     * @return true when this message has now failed {@link #ATTEMPTS} times and should be given up
     */
    boolean failed(String folder, long uid, MessagingException e) throws MessagingException {
        if (e instanceof FolderClosedException || e instanceof StoreClosedException) {
            throw e;
        }
        int n = attempts.merge(key(folder, uid), 1, Integer::sum);
        if (n == 1) {
            String what = "cannot read message UID " + uid + " in " + folder + ": " + e.getMessage();
            log.warn("{}: {}; skipped, tried again at the next pass", account, what);
            status.error(what);
        } else {
            log.debug("{}: UID {} in {} still unreadable (attempt {}): {}", account, uid, folder, n, e.getMessage());
        }
        if (n >= ATTEMPTS) {
            attempts.remove(key(folder, uid));
            log.warn("{}: giving up on message UID {} in {} after {} attempts; it will not be learned", account, uid, folder, n);
            return true;
        }
        return false;
    }

    /**
     * A message passed over without retry (while recording a baseline, or as a candidate when looking for where a
     * message went); warned about once. A lost connection is rethrown.
     */
    void skipped(String folder, long uid, MessagingException e) throws MessagingException {
        if (e instanceof FolderClosedException || e instanceof StoreClosedException) {
            throw e;
        }
        if (reported.size() > 10_000) {
            reported.clear(); // bounded memory; at worst a message is reported again
        }
        if (reported.add(key(folder, uid))) {
            String what = "cannot read message UID " + uid + " in " + folder + ": " + e.getMessage();
            log.warn("{}: {}; skipped", account, what);
            status.error(what);
        }
    }

    /** The message was read after all (or is gone): forget its failures. */
    void readable(String folder, long uid) {
        if (!attempts.isEmpty() && attempts.remove(key(folder, uid)) != null) {
            log.info("{}: message UID {} in {} is readable again", account, uid, folder);
        }
    }

    int pending() {
        return attempts.size();
    }

    private static String key(String folder, long uid) {
        return folder + '\u0000' + uid;
    }
}
