package org.mailsift.agent.daemon;

import org.mailsift.agent.AgentContext;

/**
 * A long-running part of `mailsift run` (milter listener, HTTP workers, IMAP watcher, spool drainer).
 * Started in {@link Services} order, stopped in reverse order.
 */
public interface DaemonService extends AutoCloseable {
    /** Short name for logs ("milter", "controller"...). */
    String name();

    /** Whether the configuration enables this service. */
    default boolean enabled(AgentContext context) {
        return true;
    }

    /**
     * Starts listening / working; returns once started. Logs where it listens. A failure to bind must throw an
     * exception whose message names the address (e.g. "127.0.0.1:11332: Address already in use"): `mailsift run`
     * prints it as "mailsift: cannot start NAME: MESSAGE" and exits 1.
     */
    void start(AgentContext context) throws Exception;

    /** Stops accepting new work, finishes in-flight work within a bound, releases resources. */
    @Override
    void close() throws Exception;
}
