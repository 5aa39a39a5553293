package org.mailsift.agent.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling for {@code mailsift run}. With only a JVM shutdown hook the process would exit with
 * status 143/130 after a SIGTERM/SIGINT; handling the signals ourselves lets the daemon stop its services in order
 * and exit 0, which is what systemd and the test harness expect from a clean stop. {@code sun.misc.Signal}
 * (module jdk.unsupported) is the only JDK API for this; when it is unavailable the shutdown hook still stops
 * the services.
 */
public final class TerminationSignals {
    private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

    private TerminationSignals() {
    }

    /** Calls {@code onSignal} (once per signal received) on SIGTERM and SIGINT. */
    public static void install(Runnable onSignal) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("received SIG{}, stopping", signal.getName());
                    onSignal.run();
                });
            } catch (IllegalArgumentException | LinkageError e) {
                log.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
    }
}
