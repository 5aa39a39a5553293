package org.mailsift.milter.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/**
 * Runs scans off the event loops: one virtual thread per message, at most {@code maxConcurrent} scanning at once.
 * Messages beyond that wait on the semaphore (back-pressure without a queue to size); each waiter is one milter
 * connection, and the MTA's own process limit bounds those.
 */
final class ScanRunner implements AutoCloseable {
    private final MessageScanner scanner;
    private final Semaphore permits;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("milter-scan-", 0).factory());

    ScanRunner(MessageScanner scanner, int maxConcurrent) {
        this.scanner = scanner;
        this.permits = new Semaphore(maxConcurrent);
    }

    /**
     * Scans on a virtual thread and hands the result or the failure to {@code done} (on the scanning thread).
     * Cancelling the returned future interrupts a scan still waiting for a permit.
     */
    Future<?> submit(byte[] raw, Envelope envelope, BiConsumer<ScanResult, Throwable> done) {
        return executor.submit(() -> {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ScanResult result;
            try {
                result = scanner.scan(raw, envelope);
            } catch (Throwable t) { // an engine bug must become the fallback answer, not a hung MTA
                permits.release();
                done.accept(null, t);
                return;
            }
            permits.release();
            done.accept(result, null);
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
