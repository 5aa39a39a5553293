package org.mailsift.scanner.policy;

import java.util.List;

import org.mailsift.scanner.rules.ScanContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the post-scan steps in order, each isolated: one that throws is logged and the verdict goes on without it. */
public final class PostScanSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PostScanSteps.class);
    public static final PostScanSteps NONE = new PostScanSteps(List.of());

    private final List<PostScanStep> steps;

    public PostScanSteps(List<PostScanStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public Verdict apply(ScanContext context, Verdict verdict) {
        Verdict v = verdict;
        for (PostScanStep step : steps) {
            try {
                v = step.afterScoring(context, v);
            } catch (RuntimeException | StackOverflowError e) {
                LOG.warn("post-scan step {} failed on message {}; skipped: {}", step.getClass().getSimpleName(),
                        context.message().messageId().orElse("undef"), String.valueOf(e));
            }
        }
        return v;
    }

    public List<PostScanStep> steps() {
        return steps;
    }
}
