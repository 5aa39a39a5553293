package org.mailsift.milter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;

/**
 * A packet that breaks the milter protocol. The message names the command and the packet's length, never its bytes:
 * those can be message content (a header, a body chunk), which must not reach the logs. Extends DecoderException so
 * netty does not wrap it a second time.
 */
public final class MilterProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public MilterProtocolException(String problem) {
        super(problem);
    }

    /** @param packet the offending packet from its command byte on (its reader index is not moved) */
    public MilterProtocolException(String problem, ByteBuf packet) {
        super(problem + " (" + describe(packet) + ")");
    }

    /** "command 'H' (0x48), 1234 bytes": what a log may say about a packet. */
    static String describe(ByteBuf packet) {
        int n = packet.readableBytes();
        if (n == 0) {
            return "empty packet";
        }
        byte command = packet.getByte(packet.readerIndex());
        String name = command >= 0x21 && command < 0x7f ? "'" + (char) command + "' (0x" + Integer.toHexString(command & 0xff) + ")"
                : "0x" + Integer.toHexString(command & 0xff);
        return "command " + name + ", " + n + " bytes";
    }
}
