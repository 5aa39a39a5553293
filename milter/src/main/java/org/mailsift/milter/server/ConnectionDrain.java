package org.mailsift.milter.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
 * Graceful stop for the milter's connections (SIGTERM): once the listening sockets are closed, a connection that is in
 * the middle of a message (the MTA still sending it, or its scan running) may get its verdict within a bound; idle
 * connections are closed at once (the MTA applies milter_default_action to its next message). Without this, shutting
 * down the event loops cut sessions whose message had been received but not yet answered.
 */
@ChannelHandler.Sharable
final class ConnectionDrain extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDrain.class);
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("mailsift.milter.lastRead");
    /** An MTA sending a message writes continuously; a second without a byte means it is between messages (or stalled). */
    private static final long RECEIVING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

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

    /** Waits up to {@code bound} for connections in a message, closing each as soon as it is idle, then the rest. */
    void drain(Duration bound) {
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

    private static boolean inRequest(Channel ch) {
        MilterConnectionHandler milter = ch.pipeline().get(MilterConnectionHandler.class);
        if (milter != null && milter.scanning()) {
            return true;
        }
        Long last = ch.attr(LAST_READ).get();
        return last != null && System.nanoTime() - last < RECEIVING_NANOS;
    }
}
