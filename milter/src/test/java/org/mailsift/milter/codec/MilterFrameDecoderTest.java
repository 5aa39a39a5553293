package org.mailsift.milter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class MilterFrameDecoderTest {

    @Test
    void aCompletePacketIsEmittedWithoutItsLengthField() {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {
                0, 0, 0, 2,   // length: command byte + 1 byte of data
                'H', 'x'}));  // HELO with one data byte
        ByteBuf frame = ch.readInbound();
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("4878");
        frame.release();
        assertFalse(ch.finish());
    }

    @Test
    void anIncompletePacketYieldsNothingUntilItsLastByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(1024));
        byte[] packet = {0, 0, 0, 3, 'N', 'a', 'b'};
        for (int i = 0; i < packet.length - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {packet[i]}));
            assertThat(ch.<Object>readInbound()).as("after byte %d", i).isNull();
        }
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {packet[packet.length - 1]}));
        ByteBuf frame = ch.readInbound();
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("4e6162");
        frame.release();
        assertFalse(ch.finish());
    }

    @Test
    void twoPacketsInOneReadBecomeTwoFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {
                0, 0, 0, 1, 'N',   // EOH
                0, 0, 0, 1, 'A'})); // ABORT
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertThat(first.getByte(0)).isEqualTo((byte) 'N');
        assertThat(second.getByte(0)).isEqualTo((byte) 'A');
        first.release();
        second.release();
        assertFalse(ch.finish());
    }

    @Test
    void aLengthAboveTheMaximumIsRefusedBeforeAnyDataArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(1024));
        // only the length field of a 2 GiB packet: refused without waiting for (or allocating) the data
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})))
                .isInstanceOf(MilterProtocolException.class)
                .hasMessage("milter packet length 2147483647 outside 1..1024");
        assertFalse(ch.finish());
    }

    @Test
    void aZeroLengthIsRefusedAndTheRestOfTheStreamIgnored() {
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(1024));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 'A'})))
                .isInstanceOf(MilterProtocolException.class)
                .hasMessage("milter packet length 0 outside 1..1024");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 'A'}));
        assertThat(ch.<Object>readInbound()).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void aProtocolErrorNamesCommandAndLengthNeverThePacketBytes() {
        byte[] packet = ("Hsecret content of a message" + "x".repeat(200)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MilterProtocolException e = new MilterProtocolException("bad", Unpooled.wrappedBuffer(packet));
        assertThat(e.getMessage()).isEqualTo("bad (command 'H' (0x48), 228 bytes)");
    }
}
