package org.mailsift.milter.codec;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link MilterReply} as a milter packet: 4-byte length, reply byte, data (strings UTF-8, NUL-terminated). */
@ChannelHandler.Sharable
public final class MilterReplyEncoder extends MessageToByteEncoder<MilterReply> {

    public MilterReplyEncoder() {
        super(MilterReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MilterReply reply, ByteBuf out) {
        encode(reply, out);
    }

    /** Appends the packet for {@code reply} to {@code out}. */
    public static void encode(MilterReply reply, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeByte(reply.code());
        switch (reply) {
            case MilterReply.Simple s -> {
                // no data
            }
            case MilterReply.OptNeg o -> out.writeInt(o.version()).writeInt(o.actions()).writeInt(o.protocol());
            case MilterReply.AddHeader h -> {
                cString(out, h.name());
                cString(out, h.value());
            }
            case MilterReply.InsertHeader h -> {
                out.writeInt(h.index());
                cString(out, h.name());
                cString(out, h.value());
            }
            case MilterReply.ChangeHeader h -> {
                out.writeInt(h.index());
                cString(out, h.name());
                cString(out, h.value());
            }
            case MilterReply.ReplyCode r -> cString(out, r.smtpReply());
            case MilterReply.Quarantine q -> cString(out, q.reason());
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    private static void cString(ByteBuf out, String s) {
        String v = s == null ? "" : s;
        // a NUL inside would end the string early on the MTA side and shift every following field
        out.writeCharSequence(v.indexOf('\0') >= 0 ? v.replace('\0', ' ') : v, StandardCharsets.UTF_8);
        out.writeByte(0);
    }
}
