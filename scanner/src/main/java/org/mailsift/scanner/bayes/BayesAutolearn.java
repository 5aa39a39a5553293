package org.mailsift.scanner.bayes;

import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autolearn from scan results (classifier-bayes {@code autolearn}): spam when the score reaches the spam threshold,
 * ham when it is at or below the ham threshold. Never by these thresholds from authenticated or local senders (their
 * mail says nothing about what strangers send); their clean mail is learned as ham by {@link OutboundHam} instead,
 * into the sender's statistics when per_user is on. Never nor from scans without a client address, nor from `mailsift scan` (an admin trying things out), nor when Bayes already
 * put the message in that class (Rspamd: "symbol already added"), nor for skipped scans. Learns run on one
 * background thread so the MTA never waits; failures are only logged, as in Rspamd.
 */
public final class BayesAutolearn implements ScanListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BayesAutolearn.class);
    private static final int MAX_PENDING = 1000;

    private final Learner learner;
    private final BayesSettings.Autolearn thresholds;
    private final OutboundHam outbound;
    private final Metrics metrics;
    private final ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_PENDING), r -> {
                Thread t = new Thread(r, "bayes-autolearn");
                t.setDaemon(true);
                return t;
            });

    public BayesAutolearn(Learner learner, BayesSettings.Autolearn thresholds, Metrics metrics) {
        this(learner, thresholds, OutboundHam.OFF, metrics);
    }

    /** @param thresholds the score-based autolearn for strangers' mail, or null when off */
    public BayesAutolearn(Learner learner, BayesSettings.Autolearn thresholds, OutboundHam outbound, Metrics metrics) {
        this.learner = learner;
        this.thresholds = thresholds;
        this.outbound = outbound;
        this.metrics = metrics;
        metrics.describe("mailsift_bayes_autolearn_total", "autolearned messages by class and source (autolearn, autolearn-outbound)");
    }

    @Override
    public void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result) {
        if (source == ScanSource.CLI) {
            return; // `mailsift scan` is an admin trying things out, with whatever envelope they type: never learned
        }
        LearnClass c = decide(envelope, result);
        if (c == null) {
            return;
        }
        boolean outgoing = isOutbound(envelope);
        // the sender's own statistics for their outgoing mail (its recipients are mostly not our users)
        String owner = outgoing ? envelope.authUser() : envelope.statisticsOwner();
        String learnSource = outgoing ? "autolearn-outbound" : "autolearn";
        try {
            executor.execute(() -> {
                try {
                    learner.learn(rawMessage, new LearnRequest(c, owner, false, learnSource));
                    metrics.increment("mailsift_bayes_autolearn_total", "class", c.label(), "source", learnSource);
                    log.debug("{} as {}: {} from {}", learnSource, c.label(), result.messageId(),
                            outgoing && envelope.isAuthenticated() ? envelope.authUser() : envelope.clientIp());
                } catch (RuntimeException e) {
                    log.info("autolearn as {} failed: {}", c.label(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("autolearn backlog full; skipping one message");
        }
    }

    /** The class to learn, or null when this scan must not be autolearned. */
    LearnClass decide(Envelope envelope, ScanResult result) {
        if (isOutbound(envelope)) {
            return outbound.enabled() && clean(result) && !result.hasSymbol(BayesRule.HAM_SYMBOL) ? LearnClass.HAM : null;
        }
        if (thresholds == null || isLocal(envelope.clientIp())) {
            return null;
        }
        LearnClass c = result.score() >= thresholds.spamThreshold() ? LearnClass.SPAM
                : result.score() <= thresholds.hamThreshold() ? LearnClass.HAM : null;
        if (c == null) {
            return null;
        }
        String already = c == LearnClass.SPAM ? BayesRule.SPAM_SYMBOL : BayesRule.HAM_SYMBOL;
        return result.hasSymbol(already) ? null : c;
    }

    /** The site's own users' mail: a login, or (with outbound_ham_local) a local client address. */
    private boolean isOutbound(Envelope envelope) {
        if (envelope.isAuthenticated()) {
            return true;
        }
        return outbound.local() && envelope.clientIp() != null && !envelope.clientIp().isBlank() && isLocal(envelope.clientIp());
    }

    /** Nothing wrong with it: no action at all (or below outbound_ham_max_score when one is set). */
    private boolean clean(ScanResult result) {
        if (outbound.maxScore() != null) {
            return result.score() < outbound.maxScore() && !result.action().isSpam();
        }
        return result.action() == org.mailsift.core.scan.Action.NO_ACTION;
    }

    static boolean isLocal(String ip) {
        if (ip == null || ip.isBlank()) {
            return true;
        }
        String literal = ip.trim();
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return true; // not an address literal: never resolve names here
        }
        try {
            InetAddress a = InetAddress.getByName(literal);
            return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }

    /** Waits a little for pending learns, so a clean shutdown keeps them. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
