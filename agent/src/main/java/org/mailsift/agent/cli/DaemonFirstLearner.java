package org.mailsift.agent.cli;

import java.io.IOException;
import java.util.Optional;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnException;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;

/**
 * Learns through the running daemon's controller when one answers (it owns the store, as for {@code rspamc learn_*}),
 * else, from the first learn nobody answered on, directly into the store through {@code local}.
 */
final class DaemonFirstLearner implements Learner {
    private final Learner local;
    private volatile ControllerClient daemon;

    DaemonFirstLearner(Optional<ControllerClient> daemon, Learner local) {
        this.daemon = daemon.orElse(null);
        this.local = local;
    }

    @Override
    public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
        ControllerClient d = daemon;
        if (d != null) {
            Optional<ControllerClient.Reply> reply;
            try {
                reply = d.send("learn" + request.learnClass().label(), rawMessage, request.user(), request.bulk());
            } catch (IOException e) {
                throw new LearnException("the daemon at " + d.base() + " did not answer: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LearnException("interrupted", e);
            }
            if (reply.isPresent()) {
                return outcome(reply.get(), request.learnClass());
            }
            daemon = null; // nobody listens: learn locally from now on
        }
        return local.learn(rawMessage, request);
    }

    private static LearnOutcome outcome(ControllerClient.Reply r, LearnClass c) {
        String body = r.body().trim();
        return switch (r.status()) {
            case 200 -> new LearnOutcome(LearnOutcome.Status.LEARNED, null, "learned as " + c.label() + " by the daemon");
            case 208 -> new LearnOutcome(LearnOutcome.Status.ALREADY_LEARNED, null, body);
            case 204 -> new LearnOutcome(LearnOutcome.Status.TOO_FEW_TOKENS, null, "not learned by the daemon (too few tokens or already sure)");
            default -> throw new LearnException("the daemon answered " + r.status() + ": " + body, null);
        };
    }

    @Override
    public LearnStatistics statistics() {
        return local.statistics();
    }
}
