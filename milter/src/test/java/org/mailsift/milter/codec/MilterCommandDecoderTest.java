package org.mailsift.milter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.codec.MilterCommand.Family;

class MilterCommandDecoderTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new MilterFrameDecoder(64 * 1024 + 1), new MilterCommandDecoder());
    }

    /** Feeds the bytes one at a time, as a slow network would, and returns everything decoded. */
    private static List<Object> decodeByteByByte(EmbeddedChannel ch, byte[] bytes) {
        List<Object> out = new ArrayList<>();
        for (byte b : bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            Object o;
            while ((o = ch.readInbound()) != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static MilterCommand decodeOne(byte[] bytes) {
        EmbeddedChannel ch = channel();
        List<Object> out = decodeByteByByte(ch, bytes);
        assertThat(out).hasSize(1);
        assertFalse(ch.finish());
        return (MilterCommand) out.get(0);
    }

    @Test
    void optionNegotiationCarriesVersionActionsAndProtocol() {
        byte[] bytes = {
                0, 0, 0, 13,                 // length
                'O',                         // SMFIC_OPTNEG
                0, 0, 0, 6,                  // version 6
                0, 0, 0x01, (byte) 0xff,     // actions 0x1ff
                0, 0x1f, (byte) 0xff, (byte) 0xff}; // protocol 0x1fffff
        assertThat(decodeOne(bytes)).isEqualTo(new MilterCommand.OptNeg(6, 0x1ff, 0x1fffff));
    }

    @Test
    void macrosKeepTheirCommandAndOrder() {
        byte[] bytes = MilterFrames.frames().macro('M', "i", "4XyZ", "{auth_authen}", "alice").bytes();
        MilterCommand.Macro m = (MilterCommand.Macro) decodeOne(bytes);
        assertThat(m.forCommand()).isEqualTo((byte) 'M');
        assertThat(m.macros()).containsExactly(Map.entry("i", "4XyZ"), Map.entry("{auth_authen}", "alice"));
    }

    @Test
    void connectDecodesEveryAddressFamily() {
        assertThat(decodeOne(MilterFrames.frames().connect("mail.example.test", '4', 25, "192.0.2.1").bytes()))
                .isEqualTo(new MilterCommand.Connect("mail.example.test", Family.INET, 25, "192.0.2.1"));
        assertThat(decodeOne(MilterFrames.frames().connect("unknown", '6', 2525, "IPv6:2001:db8::1").bytes()))
                .isEqualTo(new MilterCommand.Connect("unknown", Family.INET6, 2525, "2001:db8::1"));
        assertThat(decodeOne(MilterFrames.frames().connect("localhost", 'L', 0, "/run/smtp.sock").bytes()))
                .isEqualTo(new MilterCommand.Connect("localhost", Family.UNIX, 0, "/run/smtp.sock"));
        assertThat(decodeOne(MilterFrames.frames().connect("unknown", 'U', 0, null).bytes()))
                .isEqualTo(new MilterCommand.Connect("unknown", Family.UNKNOWN, 0, null));
    }

    @Test
    void connectWrittenByteByByteWithAPort() {
        byte[] bytes = {
                0, 0, 0, 15,            // length
                'C',                    // SMFIC_CONNECT
                'h', 'o', 's', 't', 0,  // hostname "host"
                '4',                    // family inet
                0x01, (byte) 0xbb,      // port 443
                '1', '.', '2', '.', '3', 0}; // address "1.2.3" (any text)
        assertThat(decodeOne(bytes)).isEqualTo(new MilterCommand.Connect("host", Family.INET, 443, "1.2.3"));
    }

    @Test
    void mailAndRcptCarryEsmtpArguments() {
        assertThat(decodeOne(MilterFrames.frames().mail("<bob@example.test>", "SIZE=1234", "BODY=8BITMIME").bytes()))
                .isEqualTo(new MilterCommand.Mail("<bob@example.test>", List.of("SIZE=1234", "BODY=8BITMIME")));
        assertThat(decodeOne(MilterFrames.frames().rcpt("<alice@example.test>", "NOTIFY=NEVER").bytes()))
                .isEqualTo(new MilterCommand.Rcpt("<alice@example.test>", List.of("NOTIFY=NEVER")));
    }

    @Test
    void simpleSteps() {
        assertThat(decodeOne(MilterFrames.frames().helo("client.example").bytes())).isEqualTo(new MilterCommand.Helo("client.example"));
        assertThat(decodeOne(MilterFrames.frames().data().bytes())).isEqualTo(new MilterCommand.Data());
        assertThat(decodeOne(MilterFrames.frames().eoh().bytes())).isEqualTo(new MilterCommand.Eoh());
        assertThat(decodeOne(MilterFrames.frames().abort().bytes())).isEqualTo(new MilterCommand.Abort());
        assertThat(decodeOne(MilterFrames.frames().quit().bytes())).isEqualTo(new MilterCommand.Quit());
        assertThat(decodeOne(MilterFrames.frames().quitNc().bytes())).isEqualTo(new MilterCommand.QuitNc());
        assertThat(decodeOne(MilterFrames.frames().packet((byte) 'U', "XYZZY arg\0".getBytes(StandardCharsets.US_ASCII)).bytes()))
                .isEqualTo(new MilterCommand.Unknown("XYZZY arg"));
    }

    @Test
    void headerValuesKeepEightBitBytes() {
        byte[] bytes = MilterFrames.frames().packet((byte) 'L', new byte[] {'S', 'u', 'b', 0, 'c', (byte) 0xe9, '\n', '\t', 'x', 0}).bytes();
        MilterCommand.Header h = (MilterCommand.Header) decodeOne(bytes);
        assertThat(h.name()).isEqualTo("Sub");
        assertThat(h.value().getBytes(StandardCharsets.ISO_8859_1)).containsExactly('c', 0xe9, '\n', '\t', 'x');
    }

    @Test
    void bodyChunkIsASliceOfTheReceivedPacketNotACopy() {
        EmbeddedChannel ch = channel();
        ByteBuf received = Unpooled.wrappedBuffer(MilterFrames.frames().body("hello\r\n").bytes());
        ch.writeInbound(received.retain());
        MilterCommand.Body body = ch.readInbound();
        assertThat(body.chunk().toString(StandardCharsets.US_ASCII)).isEqualTo("hello\r\n");
        received.setByte(5, 'J'); // the 'h' after length and command byte, in the buffer we sent
        assertThat(body.chunk().toString(StandardCharsets.US_ASCII)).isEqualTo("Jello\r\n");
        body.release();
        received.release();
        assertThat(received.refCnt()).isZero();
        assertFalse(ch.finish());
    }

    @Test
    void endOfBodyWithAFinalChunkGivesTheChunkThenTheEnd() {
        EmbeddedChannel ch = channel();
        List<Object> out = decodeByteByByte(ch, MilterFrames.frames().packet((byte) 'E', "tail".getBytes(StandardCharsets.US_ASCII)).bytes());
        assertThat(out).hasSize(2);
        MilterCommand.Body tail = (MilterCommand.Body) out.get(0);
        assertThat(tail.chunk().toString(StandardCharsets.US_ASCII)).isEqualTo("tail");
        tail.release();
        assertThat(out.get(1)).isEqualTo(new MilterCommand.BodyEob());
        assertFalse(ch.finish());
    }

    @Test
    void unterminatedStringIsAProtocolErrorNamingCommandAndLengthButNoContent() {
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(MilterFrames.frames()
                .packet((byte) 'H', "secret-body-text".getBytes(StandardCharsets.US_ASCII)).bytes())))
                .isInstanceOf(MilterProtocolException.class)
                .hasMessage("string not terminated by NUL (command 'H' (0x48), 17 bytes)")
                .message().doesNotContain("secret").doesNotContain("7365637265");
        assertFalse(ch.finish());
    }

    @Test
    void unknownCommandByteIsAProtocolError() {
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 'Z'})))
                .isInstanceOf(MilterProtocolException.class)
                .hasMessageContaining("unknown milter command 'Z'");
        assertFalse(ch.finish());
    }

    @Test
    void malformedPayloadsAreProtocolErrors() {
        for (byte[] bad : List.of(
                MilterFrames.frames().packet((byte) 'O', new byte[] {0, 0, 0, 6}).bytes(),           // short OPTNEG
                MilterFrames.frames().packet((byte) 'C', "host\0X".getBytes(StandardCharsets.US_ASCII)).bytes(), // bad family
                MilterFrames.frames().packet((byte) 'C', "host\0".getBytes(StandardCharsets.US_ASCII)).bytes(),  // no family
                MilterFrames.frames().packet((byte) 'C', "host\0004\0".getBytes(StandardCharsets.US_ASCII)).bytes(), // no port
                MilterFrames.frames().packet((byte) 'M', new byte[0]).bytes(),                        // MAIL without address
                MilterFrames.frames().packet((byte) 'D', new byte[0]).bytes(),                        // MACRO without command
                MilterFrames.frames().packet((byte) 'L', "\0value\0".getBytes(StandardCharsets.US_ASCII)).bytes())) { // no name
            EmbeddedChannel ch = channel();
            assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad))).isInstanceOf(MilterProtocolException.class);
            assertFalse(ch.finish());
        }
    }
}
