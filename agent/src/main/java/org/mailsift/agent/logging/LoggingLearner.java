package org.mailsift.agent.logging;

import java.util.Locale;
import java.util.Optional;

import org.mailsift.core.learn.LearnException;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs one line per learn request, whoever sent it (controller, IMAP watcher, CLI, spool):
 * {@code learn user=alice class=spam source=imap-watcher status=learned msgid=<id> time=3ms}.
 * The message itself is never logged.
 */
public final class LoggingLearner implements Learner {
    static final Logger LOG = LoggerFactory.getLogger("mailsift.learn");

    private final Learner delegate;
    private final Optional<Level> level;

    public LoggingLearner(Learner delegate, Optional<Level> level) {
        this.delegate = delegate;
        this.level = level;
    }

    @Override
    public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
        long start = System.nanoTime();
        try {
            LearnOutcome outcome = delegate.learn(rawMessage, request);
            log(request, outcome.status().name().toLowerCase(Locale.ROOT), outcome.messageId(), start);
            return outcome;
        } catch (LearnException e) {
            // The caller turns it into its protocol answer; this line records which request it was.
            LOG.warn("{} error=\"{}\"", text(request, "failed", null, start), LogText.quoted(e.getMessage()));
            throw e;
        }
    }

    private void log(LearnRequest request, String status, String messageId, long start) {
        if (level.isPresent() && LOG.isEnabledForLevel(level.get())) {
            LOG.atLevel(level.get()).log(text(request, status, messageId, start));
        }
    }

    static String text(LearnRequest request, String status, String messageId, long start) {
        return String.format(Locale.ROOT, "learn user=%s class=%s source=%s%s status=%s msgid=%s time=%dms",
                LogText.clean(request.user()), request.learnClass().label(), LogText.clean(request.source()),
                request.bulk() ? " bulk" : "", status, LogText.clean(messageId), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public LearnStatistics statistics() {
        return delegate.statistics();
    }
}
