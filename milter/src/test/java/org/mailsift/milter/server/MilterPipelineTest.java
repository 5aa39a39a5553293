package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.TestScanner;
import org.mailsift.milter.codec.MilterCommandDecoder;
import org.mailsift.milter.codec.MilterFrameDecoder;
import org.mailsift.milter.codec.MilterProtocol;
import org.mailsift.milter.codec.MilterReplyEncoder;

/** The whole per-connection pipeline in an EmbeddedChannel: bytes in, bytes out, nothing leaked. */
class MilterPipelineTest {
    private final TestScanner scanner = new TestScanner(null);
    private final ScanRunner scans = new ScanRunner(scanner, 1);

    @AfterEach
    void stop() {
        scans.close();
    }

    private EmbeddedChannel pipeline() {
        return new EmbeddedChannel(new MilterFrameDecoder(MilterServer.MAX_PACKET), new MilterCommandDecoder(), new MilterReplyEncoder(),
                new MilterConnectionHandler(MilterSettings.defaults(), scans, new MilterMetrics(new Metrics()),
                        MilterProtocol.PROTO_ALL_NO_REPLY, () -> { }));
    }

    private static void writeByteByByte(EmbeddedChannel ch, byte[] bytes) {
        for (byte b : bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    private static List<String> outbound(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(ByteBufUtil.hexDump(b));
            b.release();
        }
        return out;
    }

    @Test
    void optionNegotiationByteByByteIsAnsweredOnceComplete() {
        EmbeddedChannel ch = pipeline();
        byte[] optneg = MilterFrames.frames().postfixOptneg().bytes();
        writeByteByByte(ch, java.util.Arrays.copyOf(optneg, optneg.length - 1));
        assertThat(outbound(ch)).isEmpty(); // an incomplete packet yields nothing
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {optneg[optneg.length - 1]}));
        // length 13, 'O', version 6, actions 0x31, protocol 0xff080
        assertThat(outbound(ch)).containsExactly("0000000d4f0000000600000031000ff080");
        assertFalse(ch.finish());
    }

    @Test
    void nothingIsAnsweredBeforeEndOfMessageAndThenTheScannerGetsTheMessage() throws Exception {
        EmbeddedChannel ch = pipeline();
        writeByteByByte(ch, MilterFrames.frames().postfixOptneg().bytes());
        outbound(ch); // the OPTNEG reply
        byte[] message = MilterFrames.frames().connect("c.test", '4', 1, "192.0.2.1").helo("c.test")
                .postfixMessage("Q1", "a@b.test", "c@d.test", new String[][] {{"Subject", "x"}}, "body").bytes();
        writeByteByByte(ch, java.util.Arrays.copyOf(message, message.length - 5)); // all but the end-of-message packet
        assertThat(outbound(ch)).isEmpty(); // every no-reply flag was granted
        assertThat(scanner.messages).isEmpty();
        writeByteByByte(ch, java.util.Arrays.copyOfRange(message, message.length - 5, message.length));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !scanner.messages.isEmpty());
        assertThat(new String(scanner.messages.get(0), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Subject: x\r\n\r\nbody");
        // the scan thread hands its answer to the channel's event loop; collect it from here
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 500 && (replies.isEmpty() || !replies.get(replies.size() - 1).equals("0000000161")); i++) {
            Thread.sleep(20);
            ch.runPendingTasks();
            replies.addAll(outbound(ch));
        }
        assertThat(replies).last().isEqualTo("0000000161"); // ACCEPT after the header edits
        assertThat(replies.get(0)).startsWith("0000003c" + "68" + "582d5370616d642d526573756c7400"); // ADDHEADER "X-Spamd-Result\0"
        assertFalse(ch.finish());
    }

    @Test
    void garbageClosesTheChannel() {
        EmbeddedChannel ch = pipeline();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(outbound(ch)).isEmpty();
        assertFalse(ch.finish());
    }

    @Test
    void aBodyBeforeNegotiationClosesTheChannelAndLeaksNothing() {
        EmbeddedChannel ch = pipeline();
        ByteBuf in = Unpooled.wrappedBuffer(MilterFrames.frames().body("early").bytes());
        ch.writeInbound(in);
        assertThat(ch.isOpen()).isFalse();
        assertThat(in.refCnt()).isZero();
        assertFalse(ch.finish());
    }
}
