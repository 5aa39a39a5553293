package org.mailsift.milter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderException;

/**
 * A packet that breaks the milter protocol. The message quotes the offending bytes (hex, truncated) so one log line is
 * enough to reproduce the problem. Extends DecoderException so netty does not wrap it a second time.
 */
public final class MilterProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** How many bytes of the offending packet a message quotes. */
    static final int QUOTED_BYTES = 48;

    public MilterProtocolException(String problem) {
        super(problem);
    }

    public MilterProtocolException(String problem, ByteBuf offending) {
        super(problem + " [" + hex(offending) + "]");
    }

    /** Hex of the readable bytes of {@code buf} from its reader index, at most {@value #QUOTED_BYTES} of them. */
    static String hex(ByteBuf buf) {
        int n = Math.min(buf.readableBytes(), QUOTED_BYTES);
        String dump = ByteBufUtil.hexDump(buf, buf.readerIndex(), n);
        int more = buf.readableBytes() - n;
        return more > 0 ? dump + "... (+" + more + " bytes)" : dump;
    }
}
