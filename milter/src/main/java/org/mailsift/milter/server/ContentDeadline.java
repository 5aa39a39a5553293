package org.mailsift.milter.server;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.mailsift.core.net.MinimumDataRate;
import org.mailsift.milter.codec.MilterCommand;
import org.mailsift.milter.session.SessionLimitException;

/**
 * The message's pace, from DATA (or its first header or body chunk) to the end of its body: the headers and body must
 * arrive at {@link MinimumDataRate}'s pace ({@code body_timeout}, {@code body_min_rate}). {@link PacketDeadline} bounds
 * each packet, but whole packets of a few bytes sent every few seconds would hold a connection and its buffered message
 * forever. Too slow: a {@link SessionLimitException} to the connection handler (one log line, close; the MTA applies
 * its milter_default_action). Postfix sends a message's content in one burst after receiving it, so this never
 * touches an honest MTA. Sits after the command decoder; passes every command on.
 */
final class ContentDeadline extends ChannelInboundHandlerAdapter {
    private final MinimumDataRate rate;
    private long startNanos;
    private long bytes;
    private boolean inContent;
    private ScheduledFuture<?> check;

    ContentDeadline(MinimumDataRate rate) {
        this.rate = rate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        switch (msg) {
            case MilterCommand.Data d -> start(ctx);
            case MilterCommand.Eoh e -> start(ctx);
            case MilterCommand.Header h -> {
                start(ctx);
                bytes += h.name().length() + h.value().length() + 2;
            }
            case MilterCommand.Body b -> {
                start(ctx);
                bytes += b.chunk().readableBytes();
            }
            case MilterCommand.BodyEob e -> stop();
            case MilterCommand.Abort a -> stop();
            case MilterCommand.Quit q -> stop();
            case MilterCommand.QuitNc q -> stop();
            default -> { }
        }
        super.channelRead(ctx, msg);
    }

    private void start(ChannelHandlerContext ctx) {
        if (!inContent) {
            inContent = true;
            startNanos = System.nanoTime();
            bytes = 0;
            schedule(ctx, rate.timeout().toNanos());
        }
    }

    /** Checks the pace when the current deadline comes (not at every packet); moves the check when time was earned. */
    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> {
            check = null;
            if (!inContent) {
                return;
            }
            long left = rate.deadlineNanos(startNanos, bytes) - System.nanoTime();
            if (left > 0) {
                schedule(ctx, left);
                return;
            }
            inContent = false;
            ctx.fireExceptionCaught(new SessionLimitException(String.format(
                    "message content too slow (%d bytes in %d ms; body_timeout %d ms, body_min_rate %d bytes/s)",
                    bytes, (System.nanoTime() - startNanos) / 1_000_000, rate.timeout().toMillis(), rate.minBytesPerSecond())));
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        inContent = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }
}
