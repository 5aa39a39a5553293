package org.mailsift.netty;

import java.net.InetSocketAddress;

import org.mailsift.core.net.ConnectionCaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;

/**
 * A listener's {@code max_connections} and {@code max_connections_per_ip} applied at accept: a connection over a cap
 * is closed before a byte is read (one log line per ten seconds of refusals), an admitted one gives its place back
 * when it closes. Call {@link #admit} first thing in the child channel's initializer.
 */
public final class CappedAccept {
    private static final Logger LOG = LoggerFactory.getLogger(CappedAccept.class);

    private final ConnectionCaps caps;
    private final String listener;
    private final Runnable onRefused;

    /**
     * @param listener the listener as the log names it ("milter", "normal worker")
     * @param onRefused counts a refusal (metrics); runs on the event loop
     */
    public CappedAccept(ConnectionCaps caps, String listener, Runnable onRefused) {
        this.caps = caps;
        this.listener = listener;
        this.onRefused = onRefused;
    }

    /** @return whether the connection may stay; when not, it is closed already */
    public boolean admit(Channel ch) {
        String peer = ch.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : null;
        ConnectionCaps.Admission admission = caps.admit(peer);
        if (admission == null) {
            long refused = caps.refusalsToLog();
            if (refused > 0) {
                LOG.warn("{} refused {} connection(s) over max_connections ({}) or max_connections_per_ip ({}), latest from {}",
                        listener, refused, caps.maxTotal(), caps.maxPerPeer(), peer == null ? "a unix socket" : peer);
            }
            onRefused.run();
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> admission.release());
        return true;
    }
}
