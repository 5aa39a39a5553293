package org.mailsift.scanner.policy;

import org.mailsift.scanner.rules.ScanContext;

/**
 * A policy step run once per scan after the score and action are known, before the headers are rendered: Rspamd's
 * post-filters. It may change the verdict (greylist turns a greylist action into a soft reject, a rate limit forces one)
 * or only record the message (replies remembers the Message-ID of outgoing mail). Steps run in wiring order on the
 * scan thread; one that throws is logged and skipped ({@link PostScanSteps}). A step that asks a store does so at most
 * once per message and bounds the wait itself: a store that is down never holds the scan (fail open).
 */
@FunctionalInterface
public interface PostScanStep {
    /**
     * @param context the scan's context (message, envelope, local / authenticated); inserting symbols here has no
     *                effect any more: add them to the returned verdict
     * @param verdict the verdict so far
     * @return the verdict to continue with ({@code verdict} itself when nothing changes)
     */
    Verdict afterScoring(ScanContext context, Verdict verdict);
}
