package org.mailsift.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Graceful stop for a listener's connections (SIGTERM): once the listening sockets are closed, a connection that is in
 * the middle of a request (the peer still sending it, or its scan or learn running) may get its answer within a bound;
 * idle connections are closed at once (an MTA applies milter_default_action to its next message, an HTTP client
 * reconnects). Without this, shutting down the event loops cut requests that had been received but not yet answered.
 *
 * <p>One instance per listener, added to each child pipeline (it is sharable). What "busy" means is the protocol's:
 * the milter asks whether a scan is running, an HTTP worker whether a request is being served.
 */
@ChannelHandler.Sharable
public final class ConnectionDrain extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDrain.class);
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("mailsift.lastRead");
    /** A peer sending a request writes continuously; a second without a byte means it is between requests (or stalled). */
    private static final long RECEIVING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Predicate<Channel> busy;

    /** @param busy whether a connection's protocol handler is answering a request now (e.g. a scan is running) */
    public ConnectionDrain(Predicate<Channel> busy) {
        this.busy = busy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open.add(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ctx.channel().attr(LAST_READ).set(System.nanoTime());
        super.channelRead(ctx, msg);
    }

    /** Connections open now (closed ones leave the group by themselves). */
    public int openConnections() {
        return open.size();
    }

    /** Waits up to {@code bound} for connections in a request, closing each as soon as it is idle, then the rest. */
    public void drain(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (Channel ch : open) {
                if (!inRequest(ch)) {
                    ch.close();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!open.isEmpty()) {
            LOG.warn("closing {} connection(s) still busy after {} ms", open.size(), bound.toMillis());
            open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private boolean inRequest(Channel ch) {
        if (busy.test(ch)) {
            return true;
        }
        Long last = ch.attr(LAST_READ).get();
        return last != null && System.nanoTime() - last < RECEIVING_NANOS;
    }
}
