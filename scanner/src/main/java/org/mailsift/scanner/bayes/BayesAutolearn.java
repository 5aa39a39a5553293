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
 * ham when it is at or below the ham threshold. Never from authenticated or local senders (their mail says nothing
 * about what strangers send), nor from scans without a client address, nor from `mailsift scan` (an admin trying things out), nor when Bayes already
 * put the message in that class (Rspamd: "symbol already added"), nor for skipped scans. Learns run on one
 * background thread so the MTA never waits; failures are only logged, as in Rspamd.
 */
public final class BayesAutolearn implements ScanListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BayesAutolearn.class);
    private static final int MAX_PENDING = 1000;

    private final Learner learner;
    private final BayesSettings.Autolearn thresholds;
    private final Metrics metrics;
    private final ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_PENDING), r -> {
                Thread t = new Thread(r, "bayes-autolearn");
                t.setDaemon(true);
                return t;
            });

    public BayesAutolearn(Learner learner, BayesSettings.Autolearn thresholds, Metrics metrics) {
        this.learner = learner;
        this.thresholds = thresholds;
        this.metrics = metrics;
        metrics.describe("mailsift_bayes_autolearn_total", "autolearn decisions by class");
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
        try {
            executor.execute(() -> {
                try {
                    learner.learn(rawMessage, new LearnRequest(c, envelope.statisticsOwner(), false, "autolearn"));
                    metrics.increment("mailsift_bayes_autolearn_total", "class", c.label());
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
        if (thresholds == null || result.skipped() || envelope.isAuthenticated() || isLocal(envelope.clientIp())) {
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
