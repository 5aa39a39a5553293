package org.mailsift.milter.session;

/**
 * One connection asked us to hold more than its limits allow (headers, recipients, macros), or sent its message too slowly. The connection handler
 * logs it once and closes the connection, so the MTA applies its milter_default_action to the message.
 */
public final class SessionLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionLimitException(String message) {
        super(message, null, false, false);
    }
}
