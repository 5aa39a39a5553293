package org.mailsift.scanner.rules;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A rule that waits for the network (DNS lists, SPF, DKIM keys...). The engine starts every async rule before the
 * other rules run, so all of a message's lookups go out in parallel and overlap with the CPU work; it then waits
 * for them, never past the message's DNS budget ({@link ScanContext#dns()}), and applies each result on the scan
 * thread.
 *
 * <p>{@link #start} runs on the scan thread and may read the context; it starts lookups through
 * {@code context.dns()} (whose futures complete by the budget's deadline, with {@code TIMEOUT} when no answer came)
 * and returns a stage completing with what to insert. That stage's code runs on a resolver thread, so it must not
 * touch the context: it only computes, and the returned {@code Consumer} does the inserting.
 */
public interface AsyncRule extends Rule {
    CompletionStage<Consumer<ScanContext>> start(ScanContext context);

    /** Runs the rule to the end on the calling thread (for callers that drive rules one by one). */
    @Override
    default void check(ScanContext context) {
        start(context).toCompletableFuture().join().accept(context);
    }
}
