package org.mailsift.sieve.engine;

import java.util.Set;

import org.apache.jsieve.mail.Action;

/** The actions our commands collect (jSieve's own Action types carry no flags or :copy). */
public final class SieveActions {
    private SieveActions() {
    }

    /**
     * Store the message: fileinto (mailbox named) or keep (mailbox null = the delivery's default mailbox).
     *
     * @param mailbox    target mailbox, or null for keep
     * @param flags      IMAP flags to set (imap4flags), possibly empty
     * @param create     fileinto :create (mailbox extension): create the mailbox when missing
     * @param specialUse fileinto :specialuse: prefer the mailbox with this special-use attribute, or null
     */
    public record Store(String mailbox, Set<String> flags, boolean create, String specialUse) implements Action {
        public Store {
            flags = Set.copyOf(flags);
        }

        public boolean isKeep() {
            return mailbox == null;
        }
    }

    /** redirect (with :copy the implicit keep stays). */
    public record Redirect(String address, boolean copy) implements Action {
    }

    /** reject / ereject: refuse the message with this reason. */
    public record Reject(String reason, boolean extended) implements Action {
    }
}
