package org.mailsift.milter.server;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a milter connection whose packet has started but not arrived whole within {@code packet_timeout}, and one
 * that sends no complete OPTNEG within it after connecting. The read idle timeout alone can be extended forever by a
 * byte every few seconds; this deadline cannot. Sits before the frame decoder and only follows the length prefixes
 * (it never consumes or copies the bytes).
 */
final class PacketDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PacketDeadline.class);

    private final long timeoutMillis;
    private int lengthBytesSeen;
    private long length;
    private long remaining;
    private ScheduledFuture<?> timer;

    PacketDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, "no complete OPTNEG");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            follow(buf);
            if (lengthBytesSeen > 0 || remaining > 0) {
                arm(ctx, "a packet not complete");
            } else {
                disarm();
            }
        }
        super.channelRead(ctx, msg);
    }

    /** Walks the packet boundaries in {@code buf} without moving its reader index. */
    private void follow(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (remaining > 0) {
                int skip = (int) Math.min(remaining, end - i);
                i += skip;
                remaining -= skip;
                continue;
            }
            length = (length << 8) | buf.getUnsignedByte(i++);
            if (++lengthBytesSeen == 4) {
                remaining = length; // a bad length (0, too big) is the frame decoder's to refuse
                lengthBytesSeen = 0;
                length = 0;
            }
        }
    }

    private void arm(ChannelHandlerContext ctx, String what) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                LOG.warn("closing milter connection from {}: {} after {} ms (packet_timeout)", ctx.channel().remoteAddress(),
                        what, timeoutMillis);
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }
}
