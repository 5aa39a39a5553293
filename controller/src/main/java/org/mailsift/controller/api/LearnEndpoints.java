package org.mailsift.controller.api;

import org.mailsift.controller.protocol.RequestBodies;
import org.mailsift.controller.protocol.RequestEnvelope;
import org.mailsift.controller.stats.ScanStatistics;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnException;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.Learner;

/**
 * /learnspam and /learnham with Rspamd's replies: 200 {"success":true}; 208 {"error":"... has been already learned as
 * spam, ignore it"} (2xx, so rspamc and learn scripts do not fail); 204 when too few tokens or the probability guard
 * refuses; 400 for an empty body.
 */
public final class LearnEndpoints {
    private final Learner learner;
    private final ScanStatistics statistics;
    private final long maxBodyBytes;

    public LearnEndpoints(Learner learner, ScanStatistics statistics, long maxBodyBytes) {
        this.learner = learner;
        this.statistics = statistics;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ApiResponse learnSpam(ApiRequest r) {
        return learn(LearnClass.SPAM, r);
    }

    public ApiResponse learnHam(ApiRequest r) {
        return learn(LearnClass.HAM, r);
    }

    private ApiResponse learn(LearnClass learnClass, ApiRequest r) {
        byte[] raw = RequestBodies.decode(r.headers(), r.body(), maxBodyBytes, r.budget());
        if (raw.length == 0) {
            throw new ApiException(400, "Empty body is not permitted");
        }
        LearnOutcome outcome;
        try {
            outcome = learner.learn(raw, RequestEnvelope.learnRequest(learnClass, r.headers()));
        } catch (LearnException e) {
            statistics.learnedOne(learnClass.label(), "error", false);
            throw new ApiException(500, "Learn failed: " + e.getMessage());
        }
        statistics.learnedOne(learnClass.label(), outcome.status().name().toLowerCase(), outcome.counted());
        String id = outcome.messageId() == null ? "undef" : outcome.messageId();
        return switch (outcome.status()) {
            case LEARNED, RELEARNED -> ApiResponse.success();
            case QUEUED -> ApiResponse.json("{\"success\":true,\"queued\":true}");
            case ALREADY_LEARNED -> ApiResponse.error(208, message(outcome,
                    "<" + id + "> has been already learned as " + learnClass.label() + ", ignore it"));
            case TOO_FEW_TOKENS -> ApiResponse.noContent(message(outcome,
                    "<" + id + "> contains less tokens than required for bayes classifier"));
            case DENIED_PROBABILITY -> ApiResponse.noContent(message(outcome,
                    "all learn conditions denied learning " + learnClass.label() + " in default classifier"));
        };
    }

    private static String message(LearnOutcome o, String fallback) {
        return o.message() == null || o.message().isBlank() ? fallback : o.message();
    }
}
