package org.mailsift.imapwatcher;

import java.util.HashMap;
import java.util.Map;

import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of one account the server would not let us read: a FETCH answered NO, a response the client library
 * cannot parse, or a server that drops the connection over one message (Dovecot does when it cannot open the
 * message's file). Such a message is skipped and tried again at the next pass of its folder, so it never stalls the
 * account; it is reported once (WARN, and as the account's last error) and given up after {@link #ATTEMPTS} tries.
 * Outlives reconnections (one per account watcher); only the watcher's thread uses it.
 */
final class UnreadableMessages {
    private static final Logger log = LoggerFactory.getLogger(UnreadableMessages.class);
    static final int ATTEMPTS = 5;

    private final String account;
    private final AccountStatus status;
    private final Map<String, Integer> attempts = new HashMap<>();

    UnreadableMessages(String account, AccountStatus status) {
        this.account = account;
        this.status = status;
    }

    /** Whether this message failed {@link #ATTEMPTS} times already: it is not read again. */
    boolean givenUp(String folder, long uid) {
        return attempts.getOrDefault(key(folder, uid), 0) >= ATTEMPTS;
    }

    /**
     * Records a failed read of one message. A lost connection counts too (the server may drop it over this very
     * message) and is then rethrown, so the account reconnects and the next pass tries again.
     */
    void failed(String folder, long uid, MessagingException e) throws MessagingException {
        boolean connectionLost = e instanceof FolderClosedException || e instanceof StoreClosedException;
        int n = attempts.merge(key(folder, uid), 1, Integer::sum);
        String why = connectionLost ? "the server closed the connection" : e.getMessage();
        if (n == 1) {
            String what = "cannot read message UID " + uid + " in " + folder + " (" + why + ")";
            log.warn("{}: {}; skipped, tried again later", account, what);
            status.error(what);
        } else if (n == ATTEMPTS) {
            String what = "gave up on message UID " + uid + " in " + folder + " after " + n + " attempts (" + why + ")";
            log.warn("{}: {}; it is not learned", account, what);
            status.error(what);
        } else {
            log.debug("{}: UID {} in {} still unreadable (attempt {}): {}", account, uid, folder, n, why);
        }
        if (connectionLost) {
            throw e;
        }
    }

    /** The message was read after all, or recorded as unreadable for good: forget its failures. */
    void forget(String folder, long uid) {
        if (!attempts.isEmpty()) {
            attempts.remove(key(folder, uid));
        }
    }

    private static String key(String folder, long uid) {
        return folder + '\u0000' + uid;
    }
}
