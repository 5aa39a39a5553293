package org.mailsift.milter.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the byte stream into milter packets: a 4-byte big-endian length (covering the command byte and its data),
 * then that many bytes. Emits each packet (command byte first) as a retained slice of the input, without copying.
 * The length is checked against {@code maxPacketSize} before anything is buffered for it; after a bad length the
 * decoder discards everything that follows, because the stream can no longer be re-synchronised.
 */
public final class MilterFrameDecoder extends ByteToMessageDecoder {
    private static final int LENGTH_FIELD = 4;
    private final int maxPacketSize;
    private boolean broken;

    /** @param maxPacketSize the largest packet accepted, command byte included (Postfix sends body chunks of 64 KiB) */
    public MilterFrameDecoder(int maxPacketSize) {
        if (maxPacketSize < 13) {
            throw new IllegalArgumentException("maxPacketSize must hold at least an OPTNEG packet (13 bytes): " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= LENGTH_FIELD) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length < 1 || length > maxPacketSize) {
                broken = true;
                MilterProtocolException e = new MilterProtocolException(
                        "milter packet length " + length + " outside 1.." + maxPacketSize);
                in.skipBytes(in.readableBytes());
                throw e;
            }
            if (in.readableBytes() < LENGTH_FIELD + length) {
                return;
            }
            in.skipBytes(LENGTH_FIELD);
            out.add(in.readRetainedSlice((int) length));
        }
    }
}
