package org.mailsift.agent.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP for {@code mailsift run}: {@code systemctl reload mailsift} (ExecReload=kill -HUP) re-reads the configuration
 * without a restart. The action runs on its own thread, never on the JVM's signal dispatcher, so a slow reload
 * cannot hold up a SIGTERM that follows. {@code sun.misc.Signal} (module jdk.unsupported) is the only JDK API for
 * SIGHUP; where it is unavailable, or SIGHUP was ignored when the process started, the daemon says so once at start,
 * and {@code mailsift reload} (the controller's {@code /reload}) is the way to reload it.
 */
public final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** What became of the SIGHUP handler. */
    public enum Outcome {
        /** SIGHUP now reloads. */
        INSTALLED,
        /** The process inherited SIGHUP as ignored (started under nohup, or by a shell that ignores it): the JVM keeps
         * it ignored, so SIGHUP never arrives; {@code mailsift reload} still works. */
        IGNORED_AT_START,
        /** No handler could be installed (no sun.misc.Signal, or the JVM reserves SIGHUP, as with -Xrs). */
        UNAVAILABLE
    }

    /** Calls {@code onReload} on a new thread for every SIGHUP received; logs a warning when that cannot happen. */
    public static Outcome install(Runnable onReload) {
        SignalHandler previous;
        try {
            previous = Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("mailsift-reload").start(onReload));
        } catch (IllegalArgumentException | LinkageError e) {
            log.warn("cannot handle SIGHUP ({}); reload with `mailsift reload` (the controller's /reload) or restart", e.toString());
            return Outcome.UNAVAILABLE;
        }
        if (previous == SignalHandler.SIG_IGN) {
            // HotSpot leaves a signal that was ignored at start ignored, and says so only through this return value
            log.warn("SIGHUP was ignored when the daemon started (nohup?), so `kill -HUP` and `systemctl reload` cannot"
                    + " reach it; reload with `mailsift reload` (the controller's /reload) instead");
            return Outcome.IGNORED_AT_START;
        }
        return Outcome.INSTALLED;
    }
}
