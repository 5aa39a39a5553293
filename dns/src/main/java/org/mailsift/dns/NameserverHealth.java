package org.mailsift.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a nameserver answers, as Rspamd's upstream errors: after {@code maxErrors} timeouts in a row it is left
 * alone for {@code reviveTime}, and lookups that have no other server fail at once instead of each waiting out its
 * timeout. One record per address for the whole process: that a server does not answer is a fact about the
 * network, shared by every resolver (and every engine a reload builds) that uses it.
 */
final class NameserverHealth {
    private static final Logger LOG = LoggerFactory.getLogger(NameserverHealth.class);
    private static final ConcurrentHashMap<InetSocketAddress, NameserverHealth> ALL = new ConcurrentHashMap<>();

    private final InetSocketAddress address;
    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
    private final AtomicLong downUntilNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean down;
    private volatile long lastWarnNanos;
    private volatile boolean warnedOnce;

    private NameserverHealth(InetSocketAddress address) {
        this.address = address;
    }

    static NameserverHealth of(InetSocketAddress address) {
        return ALL.computeIfAbsent(address, NameserverHealth::new);
    }

    /** Up, or down long enough that it is time to try it again. */
    boolean usable(long nowNanos) {
        return !down || nowNanos - downUntilNanos.get() >= 0;
    }

    void answered() {
        consecutiveTimeouts.set(0);
        if (down) {
            down = false;
            LOG.debug("DNS: nameserver {} answers again", text());
        }
    }

    void timedOut(int maxErrors, Duration reviveTime, long nowNanos) {
        int n = consecutiveTimeouts.incrementAndGet();
        if (n >= maxErrors && (!down || nowNanos - downUntilNanos.get() >= 0)) {
            boolean wasDown = down;
            downUntilNanos.set(nowNanos + reviveTime.toNanos());
            down = true;
            // once per revive period: a server that flaps under load must not flood the log
            if (!wasDown && (!warnedOnce || nowNanos - lastWarnNanos >= reviveTime.toNanos())) {
                warnedOnce = true;
                lastWarnNanos = nowNanos;
                LOG.warn("DNS: nameserver {} did not answer {} queries in a row; DNS checks fail at once (their DNSFAIL "
                        + "symbols) and it is tried again every {}s. Use a local recursive resolver, not a public one",
                        text(), n, reviveTime.toSeconds());
            }
        }
    }

    private String text() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Tests start from a clean slate. */
    static void forgetAll() {
        ALL.clear();
    }
}
