package org.mailsift.scanner.policy;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;

/**
 * One warning when a module's store stops answering and one line when it answers again, instead of a line per message:
 * a store that is down makes the module fail open (the message goes on as if the module were off).
 */
public final class StoreOutage {
    private final Logger log;
    private final String module;
    private final AtomicBoolean down = new AtomicBoolean();

    public StoreOutage(Logger log, String module) {
        this.log = log;
        this.module = module;
    }

    public void failed(RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("{}: store unavailable, passing messages without {} until it answers: {}", module, module,
                    String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    public void answered() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("{}: store answers again", module);
        }
    }
}
