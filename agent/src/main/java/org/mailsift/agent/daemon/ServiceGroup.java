package org.mailsift.agent.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.agent.AgentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one {@code mailsift run}: started in order, stopped in reverse order within a time bound.
 * Stopping is idempotent, so the signal handler path and the JVM shutdown hook may both ask for it.
 */
public final class ServiceGroup {
    private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

    private final AgentContext context;
    private final List<DaemonService> candidates;
    private final List<DaemonService> started = new ArrayList<>();
    private boolean stopped;

    public ServiceGroup(AgentContext context, List<DaemonService> candidates) {
        this.context = context;
        this.candidates = List.copyOf(candidates);
    }

    /**
     * Starts every enabled service. When one fails, those already started are stopped and the failure is
     * rethrown as a {@link ServiceStartException} naming the service.
     */
    public synchronized void start(Duration stopBound) throws ServiceStartException {
        for (DaemonService service : candidates) {
            if (!service.enabled(context)) {
                log.info("{}: disabled", service.name());
                continue;
            }
            try {
                service.start(context);
            } catch (Exception e) {
                stop(stopBound);
                throw new ServiceStartException(service.name(), e);
            }
            started.add(service);
            log.info("{}: started", service.name());
        }
    }

    public synchronized int startedCount() {
        return started.size();
    }

    /** The services running now, in start order (for a configuration reload). */
    public synchronized List<DaemonService> running() {
        return stopped ? List.of() : List.copyOf(started);
    }

    /**
     * Closes the started services in reverse order on one thread, waiting at most {@code bound} in all;
     * returns false when they did not all finish in time (the process exits anyway).
     */
    public synchronized boolean stop(Duration bound) {
        if (stopped) {
            return true;
        }
        stopped = true;
        List<DaemonService> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        Thread closer = Thread.ofPlatform().name("mailsift-stop").daemon(true).unstarted(() -> {
            for (DaemonService service : reverse) {
                try {
                    service.close();
                    log.info("{}: stopped", service.name());
                } catch (Exception e) {
                    log.warn("{}: failed to stop cleanly: {}", service.name(), e.toString());
                }
            }
        });
        closer.start();
        try {
            if (!closer.join(bound)) {
                log.warn("services did not stop within {} s; exiting anyway", bound.toSeconds());
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** A service that could not start; the message names the service and the cause (e.g. the bind address). */
    public static final class ServiceStartException extends Exception {
        public ServiceStartException(String service, Exception cause) {
            super("cannot start " + service + ": " + describe(cause), cause);
        }

        private static String describe(Exception e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
