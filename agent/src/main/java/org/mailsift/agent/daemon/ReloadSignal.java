package org.mailsift.agent.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * SIGHUP for {@code mailsift run}: {@code systemctl reload mailsift} (ExecReload=kill -HUP) re-reads the configuration
 * without a restart. The action runs on its own thread, never on the JVM's signal dispatcher, so a slow reload
 * cannot hold up a SIGTERM that follows. {@code sun.misc.Signal} (module jdk.unsupported) is the only JDK API for
 * SIGHUP; where it is unavailable the daemon just cannot be reloaded, and says so once.
 */
public final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** Calls {@code onReload} on a new thread for every SIGHUP received. */
    public static void install(Runnable onReload) {
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("mailsift-reload").start(onReload));
        } catch (IllegalArgumentException | LinkageError e) {
            log.warn("cannot handle SIGHUP ({}); configuration changes need a restart", e.toString());
        }
    }
}
