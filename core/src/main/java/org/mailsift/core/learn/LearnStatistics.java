package org.mailsift.core.learn;

import java.util.Map;

/**
 * Current learn counts.
 *
 * @param storeKind   "embedded" or "redis"
 * @param spamLearns  messages learned as spam (global statistics)
 * @param hamLearns   messages learned as ham (global statistics)
 * @param spamTokens  distinct tokens with a spam count (or -1 when unknown cheaply)
 * @param hamTokens   distinct tokens with a ham count (or -1 when unknown cheaply)
 * @param perUser     user -&gt; [spam learns, ham learns] for per-user statistics
 * @param queued      learns waiting in the durable retry queue
 */
public record LearnStatistics(String storeKind, long spamLearns, long hamLearns, long spamTokens, long hamTokens,
                              Map<String, long[]> perUser, long queued) {
}
