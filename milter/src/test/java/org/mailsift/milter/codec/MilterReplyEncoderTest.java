package org.mailsift.milter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class MilterReplyEncoderTest {

    private static String encode(MilterReply reply) {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterReplyEncoder());
        ch.writeOutbound(reply);
        ByteBuf out = ch.readOutbound();
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        assertFalse(ch.finish());
        return hex;
    }

    @Test
    void repliesWithoutDataAreFiveBytes() {
        assertThat(encode(MilterReply.ACCEPT)).isEqualTo("00000001" + "61");   // 'a'
        assertThat(encode(MilterReply.CONTINUE)).isEqualTo("00000001" + "63"); // 'c'
        assertThat(encode(MilterReply.DISCARD)).isEqualTo("00000001" + "64");  // 'd'
        assertThat(encode(MilterReply.REJECT)).isEqualTo("00000001" + "72");   // 'r'
        assertThat(encode(MilterReply.TEMPFAIL)).isEqualTo("00000001" + "74"); // 't'
    }

    @Test
    void optionNegotiationReply() {
        assertThat(encode(new MilterReply.OptNeg(6, 0x31, 0xff080)))
                .isEqualTo("0000000d" + "4f" + "00000006" + "00000031" + "000ff080");
    }

    @Test
    void headerEdits() {
        // 'h' "X-A\0" "1\0"
        assertThat(encode(new MilterReply.AddHeader("X-A", "1"))).isEqualTo("00000007" + "68" + "582d4100" + "3100");
        // 'i' index 0, "X-A\0" "1\0"
        assertThat(encode(new MilterReply.InsertHeader(0, "X-A", "1"))).isEqualTo("0000000b" + "69" + "00000000" + "582d4100" + "3100");
        // 'm' index 2, "X-A\0" "\0" (empty value deletes)
        assertThat(encode(new MilterReply.ChangeHeader(2, "X-A", ""))).isEqualTo("0000000a" + "6d" + "00000002" + "582d4100" + "00");
    }

    @Test
    void replyCodeAndQuarantineCarryText() {
        // 'y' "554 5.7.1 No\0"
        assertThat(encode(new MilterReply.ReplyCode("554 5.7.1 No"))).isEqualTo("0000000e" + "79" + "35353420352e372e31204e6f00");
        // 'q' "why\0"
        assertThat(encode(new MilterReply.Quarantine("why"))).isEqualTo("00000005" + "71" + "77687900");
    }

    @Test
    void aNulInsideAStringCannotShiftTheFields() {
        assertThat(encode(new MilterReply.AddHeader("X", "a\0b"))).isEqualTo("00000007" + "68" + "5800" + "61206200");
    }
}
