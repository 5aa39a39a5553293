package org.mailsift.core.learn;

/**
 * A request to learn one message.
 *
 * @param learnClass spam or ham
 * @param user       mailbox owner for per-user statistics (IMAP user, Deliver-To), or null for global only
 * @param bulk       {@code Learn-Type: bulk}: learn even when the classifier is already sure
 * @param source     where the request came from, for logs and counters: "cli", "http", "imap-watcher", "sieve", "autolearn", "spool"
 */
public record LearnRequest(LearnClass learnClass, String user, boolean bulk, String source) {
    public static LearnRequest of(LearnClass c, String source) {
        return new LearnRequest(c, null, false, source);
    }
}
