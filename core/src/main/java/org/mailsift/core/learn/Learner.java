package org.mailsift.core.learn;

/**
 * Learns messages into the Bayes statistics. Used by the CLI, the HTTP controller, the IMAP watcher and the
 * spool drainer. Implementations are thread-safe; an unrecoverable store error is thrown as {@link LearnException}
 * only when the request could not even be queued.
 */
public interface Learner {
    LearnOutcome learn(byte[] rawMessage, LearnRequest request);

    /** Live statistics for /stat, rspamc stat and mailsift stat. */
    LearnStatistics statistics();
}
