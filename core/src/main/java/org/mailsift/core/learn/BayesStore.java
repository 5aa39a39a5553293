package org.mailsift.core.learn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Where the Bayes token counts live (embedded file store or Redis). Every implementation passes the same contract
 * suite ({@code BayesStoreContract} in the scanner tests).
 *
 * <p>Statistics are kept globally and, when a learn names a user, also for that user: one learn with a user updates
 * both atomically. {@code user == null} everywhere means "the global statistics".
 *
 * <p>The learned-message cache is part of the store so that the check and the update are one atomic step: the cache
 * key is the content digest (of the token set) within the user's space, never the Message-ID.
 *
 * <p>A store that cannot reach its backend throws {@link UnavailableException}; callers then queue the learn or
 * scan without Bayes.
 */
public interface BayesStore extends AutoCloseable {

    /** "embedded" or "redis". */
    String kind();

    /**
     * Learns one message atomically, with Rspamd's cache semantics: a digest already learned as {@code learnClass}
     * changes nothing ({@link Applied#ALREADY_LEARNED}); one learned as the other class is unlearned from it and
     * learned into this one ({@link Applied#RELEARNED}). Returns only once the learn is durable.
     *
     * @param user   mailbox owner, or null for global statistics only
     * @param digest content digest of the token set
     * @param tokens distinct token hashes
     */
    Applied learn(String user, LearnClass learnClass, String digest, long[] tokens);

    /** The class {@code digest} was learned as in {@code user}'s space (global when null), or null when never. */
    LearnClass learnedAs(String user, String digest);

    /** Spam and ham counts of each token (same order as {@code tokens}) plus the learn counts, in one user's space. */
    TokenCounts lookup(String user, long[] tokens);

    /** Learns per class in one user's space (global when {@code user} is null). */
    ClassCounts learns(String user);

    /** Totals for stat pages. */
    Stats stats();

    /**
     * Writes every statistic in the mailsift Bayes export format (see {@code BayesExportFormat} in the scanner module):
     * text lines, one record per line, readable by {@link #importFrom(InputStream)} of any store kind.
     */
    void exportTo(OutputStream out) throws IOException;

    /** Adds the exported statistics to this store (counts add up; cache entries are taken as they are). */
    void importFrom(InputStream in) throws IOException;

    @Override
    void close();

    enum Applied { LEARNED, RELEARNED, ALREADY_LEARNED }

    record ClassCounts(long spam, long ham) {
        public static final ClassCounts ZERO = new ClassCounts(0, 0);

        public ClassCounts plus(ClassCounts o) {
            return new ClassCounts(spam + o.spam, ham + o.ham);
        }
    }

    /** Counts for a lookup: {@code spam[i]} and {@code ham[i]} belong to the i-th token asked for. */
    record TokenCounts(ClassCounts learns, long[] spam, long[] ham) {
    }

    /**
     * @param learns     global learns per class
     * @param spamTokens distinct tokens with a spam count in the global statistics
     * @param hamTokens  distinct tokens with a ham count in the global statistics
     * @param users      per-user learns
     */
    record Stats(ClassCounts learns, long spamTokens, long hamTokens, Map<String, ClassCounts> users) {
    }

    /** The backend cannot be reached right now (Redis down); the operation did not happen. */
    class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
