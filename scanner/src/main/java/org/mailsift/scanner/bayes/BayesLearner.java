package org.mailsift.scanner.bayes;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.BayesStore.Applied;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnException;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnOutcome.Status;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.ScanResult.BayesInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * learn_spam / learn_ham with Rspamd's semantics: the content digest (not the Message-ID) decides "already learned"
 * and "relearn"; too few tokens are refused; an optional probability guard refuses what the classifier already puts
 * in that class (bypassed by {@code Learn-Type: bulk}); when the store is unreachable the learn goes to the durable
 * {@link LearnOutbox} and is replayed later.
 */
public final class BayesLearner implements Learner {
    private static final Logger log = LoggerFactory.getLogger(BayesLearner.class);

    private final BayesEngine engine;
    private final Function<byte[], ParsedMessage> parser;
    private final LearnOutbox queue;
    private final Metrics metrics;

    /** @param queue where learns wait while the store is unavailable, or null when the store is local */
    public BayesLearner(BayesEngine engine, Function<byte[], ParsedMessage> parser, LearnOutbox queue, Metrics metrics) {
        this.engine = engine;
        this.parser = parser;
        this.queue = queue;
        this.metrics = metrics;
        metrics.describe("mailsift_bayes_learns_total", "Bayes learn requests by class and outcome");
    }

    @Override
    public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
        ParsedMessage m = parser.apply(rawMessage);
        MessageTokens tokens = engine.tokenize(m);
        String digest = tokens.digest();
        String id = m.messageId().filter(s -> !s.isBlank()).orElse(digest);
        LearnOutcome outcome = learn(tokens, digest, id, request);
        metrics.increment("mailsift_bayes_learns_total", "class", request.learnClass().label(),
                "outcome", outcome.status().name().toLowerCase(Locale.ROOT));
        log.debug("learn {} from {}: {}", request.learnClass().label(), request.source(), outcome.message());
        return outcome;
    }

    LearnOutcome learn(MessageTokens tokens, String digest, String id, LearnRequest request) {
        LearnClass c = request.learnClass();
        int min = engine.settings().minTokens();
        if (tokens.size() < min) {
            return new LearnOutcome(Status.TOO_FEW_TOKENS, id,
                    id + " contains less tokens than required for bayes classifier: " + tokens.size() + " < " + min);
        }
        String owner = engine.owner(request.user());
        try {
            LearnClass before = engine.store().learnedAs(owner, digest);
            if (before == c) {
                return already(id, c);
            }
            if (before == null && !request.bulk() && engine.settings().learnGuard() > 0) {
                LearnOutcome denied = guard(tokens, owner, id, c);
                if (denied != null) {
                    return denied;
                }
            }
            Applied applied = engine.store().learn(owner, c, digest, tokens.tokens());
            return switch (applied) {
                case ALREADY_LEARNED -> already(id, c);
                case RELEARNED -> new LearnOutcome(Status.RELEARNED, id,
                        id + " has been relearned as " + c.label() + " (it was learned as " + c.opposite().label() + ")");
                case LEARNED -> new LearnOutcome(Status.LEARNED, id, id + " has been learned as " + c.label());
            };
        } catch (BayesStore.UnavailableException e) {
            if (queue == null) {
                throw new LearnException("the Bayes store is unavailable: " + e.getMessage(), e);
            }
            queue.add(new QueuedLearn(owner, c, digest, tokens.tokens()));
            return new LearnOutcome(Status.QUEUED, id,
                    id + " queued for learning as " + c.label() + ": the Bayes store is unavailable (" + e.getMessage() + ")");
        }
    }

    private static LearnOutcome already(String id, LearnClass c) {
        return new LearnOutcome(Status.ALREADY_LEARNED, id, id + " has been already learned as " + c.label() + ", ignore it");
    }

    private LearnOutcome guard(MessageTokens tokens, String owner, String id, LearnClass c) {
        BayesInfo info = engine.classify(tokens, owner);
        if (info.silentReason() != null) {
            return null;
        }
        double p = c == LearnClass.SPAM ? info.probability() : 1 - info.probability();
        if (p < engine.settings().learnGuard()) {
            return null;
        }
        return new LearnOutcome(Status.DENIED_PROBABILITY, id, String.format(Locale.ROOT,
                "%s is already classified as %s with probability %.2f%%, not learned (send Learn-Type: bulk to learn it anyway)",
                id, c.label(), p * 100));
    }

    @Override
    public LearnStatistics statistics() {
        long queued = queue == null ? 0 : queue.size();
        try {
            BayesStore.Stats s = engine.store().stats();
            Map<String, long[]> users = new LinkedHashMap<>();
            s.users().forEach((u, cc) -> users.put(u, new long[] {cc.spam(), cc.ham()}));
            return new LearnStatistics(engine.store().kind(), s.learns().spam(), s.learns().ham(), s.spamTokens(),
                    s.hamTokens(), users, queued);
        } catch (BayesStore.UnavailableException e) {
            return new LearnStatistics(engine.store().kind(), -1, -1, -1, -1, Map.of(), queued);
        }
    }
}
