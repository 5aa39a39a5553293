package org.mailsift.milter.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterCommand;
import org.mailsift.milter.codec.MilterCommand.Family;
import org.mailsift.milter.codec.MilterProtocol;
import org.mailsift.milter.codec.MilterProtocolException;
import org.mailsift.milter.codec.MilterReply;

class MilterSessionTest {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static MilterSession negotiated(MilterSettings settings) {
        MilterSession s = new MilterSession(ALLOC, settings, MilterProtocol.PROTO_ALL_NO_REPLY);
        s.handle(new MilterCommand.OptNeg(6, 0x1ff, 0x1fffff));
        return s;
    }

    private static MilterCommand.Body body(String text) {
        return new MilterCommand.Body(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private static MessageToScan sendMessage(MilterSession s, String queueId, String from, List<String> rcpts, String body) {
        s.handle(new MilterCommand.Macro((byte) 'M', Map.of("i", queueId)));
        s.handle(new MilterCommand.Mail("<" + from + ">", List.of("SIZE=10")));
        rcpts.forEach(r -> s.handle(new MilterCommand.Rcpt("<" + r + ">", List.of())));
        s.handle(new MilterCommand.Data());
        s.handle(new MilterCommand.Header("From", from));
        s.handle(new MilterCommand.Header("Subject", "test\n\tfolded"));
        s.handle(new MilterCommand.Eoh());
        s.handle(body(body));
        SessionStep step = s.handle(new MilterCommand.BodyEob());
        assertThat(step).isInstanceOf(SessionStep.Scan.class);
        return ((SessionStep.Scan) step).message();
    }

    @Test
    void negotiationAsksOnlyForTheActionsUsedAndEveryNoReplyStep() {
        MilterSession s = new MilterSession(ALLOC, MilterSettings.defaults(), MilterProtocol.PROTO_ALL_NO_REPLY);
        SessionStep step = s.handle(new MilterCommand.OptNeg(6, 0x1ff, 0x1fffff));
        assertThat(step).isEqualTo(new SessionStep.Reply(List.of(new MilterReply.OptNeg(6, 0x31, 0xff080))));
    }

    @Test
    void stepsWithoutANoReplyFlagAreAnsweredWithContinue() {
        // an MTA that offers no no-reply bits (an old Sendmail) gets CONTINUE for every step
        MilterSession s = new MilterSession(ALLOC, MilterSettings.defaults(), MilterProtocol.PROTO_ALL_NO_REPLY);
        assertThat(s.handle(new MilterCommand.OptNeg(6, 0x3f, 0))).isEqualTo(
                new SessionStep.Reply(List.of(new MilterReply.OptNeg(6, 0x31, 0))));
        SessionStep.Reply cont = new SessionStep.Reply(List.of(MilterReply.CONTINUE));
        assertThat(s.handle(new MilterCommand.Connect("h", Family.INET, 25, "192.0.2.1"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Helo("h"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Mail("<a@b>", List.of()))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Rcpt("<c@d>", List.of()))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Data())).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Header("A", "b"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Eoh())).isEqualTo(cont);
        assertThat(s.handle(body("x"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Unknown("FOO"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Macro((byte) 'C', Map.of()))).isEqualTo(SessionStep.NOTHING);
        s.close();
    }

    @Test
    void versionsBeforeSixAreRefused() {
        MilterSession s = new MilterSession(ALLOC, MilterSettings.defaults(), MilterProtocol.PROTO_ALL_NO_REPLY);
        assertThat(s.handle(new MilterCommand.OptNeg(2, 0x3f, 0x7f))).isInstanceOf(SessionStep.Close.class);
    }

    @Test
    void commandsBeforeNegotiationAreProtocolErrors() {
        MilterSession s = new MilterSession(ALLOC, MilterSettings.defaults(), MilterProtocol.PROTO_ALL_NO_REPLY);
        MilterCommand.Body b = body("x");
        assertThatThrownBy(() -> s.handle(b)).isInstanceOf(MilterProtocolException.class).hasMessageContaining("BODY before");
        assertThat(b.refCnt()).isZero();
    }

    @Test
    void macrosAndStepsBecomeTheEnvelope() {
        MilterSession s = negotiated(MilterSettings.defaults());
        s.handle(new MilterCommand.Macro((byte) 'C', Map.of("j", "mx.example.test", "{daemon_name}", "smtpd-in")));
        s.handle(new MilterCommand.Connect("client.example.test", Family.INET6, 4567, "2001:db8::5"));
        s.handle(new MilterCommand.Macro((byte) 'H', Map.of("{tls_version}", "TLSv1.3", "{cipher}", "TLS_AES_256_GCM_SHA384")));
        s.handle(new MilterCommand.Helo("client.example.test"));
        s.handle(new MilterCommand.Macro((byte) 'M', Map.of("{auth_authen}", "carol")));
        Envelope e = sendMessage(s, "4QZ1", "carol@example.test", List.of("alice@example.test", "bob@example.test"), "hi").envelope();
        assertThat(e).isEqualTo(new Envelope("2001:db8::5", "client.example.test", "client.example.test", "carol@example.test",
                List.of("alice@example.test", "bob@example.test"), "carol", "4QZ1", "smtpd-in", "TLSv1.3",
                "TLS_AES_256_GCM_SHA384", null));
        s.close();
    }

    @Test
    void clientAddressMacroWinsAndUnknownHostIsDropped() {
        MilterSession s = negotiated(MilterSettings.defaults());
        s.handle(new MilterCommand.Connect("unknown", Family.INET, 1, "10.0.0.1"));
        s.handle(new MilterCommand.Macro((byte) 'M', Map.of("{client_addr}", "192.0.2.7", "{client_name}", "unknown")));
        Envelope e = sendMessage(s, "Q1", "a@b.test", List.of("c@d.test"), "x").envelope();
        assertThat(e.clientIp()).isEqualTo("192.0.2.7");
        assertThat(e.clientHostname()).isNull();
        assertThat(e.mtaName()).isNull();
    }

    @Test
    void theScannerGetsHeadersInWireFormThenTheBody() {
        MilterSession s = negotiated(MilterSettings.defaults());
        MessageToScan m = sendMessage(s, "Q1", "a@b.test", List.of("c@d.test"), "Body line\r\n");
        assertThat(new String(m.raw(), StandardCharsets.ISO_8859_1))
                .isEqualTo("From: a@b.test\r\nSubject: test\r\n\tfolded\r\n\r\nBody line\r\n");
        assertThat(m.headerCounts()).containsEntry("subject", 1).containsEntry("from", 1);
    }

    @Test
    void severalMessagesOnOneConnectionKeepTheConnectionFactsOnly() {
        MilterSession s = negotiated(MilterSettings.defaults());
        s.handle(new MilterCommand.Connect("h.test", Family.INET, 1, "192.0.2.1"));
        s.handle(new MilterCommand.Helo("h.test"));
        MessageToScan first = sendMessage(s, "Q1", "a@b.test", List.of("one@d.test"), "first");
        assertThat(s.verdict(first, dummyResult())).containsExactly(MilterReply.ACCEPT);
        MessageToScan second = sendMessage(s, "Q2", "x@b.test", List.of("two@d.test"), "second");
        assertThat(second.envelope().rcptTo()).containsExactly("two@d.test");
        assertThat(second.envelope().queueId()).isEqualTo("Q2");
        assertThat(second.envelope().helo()).isEqualTo("h.test");
        assertThat(new String(second.raw(), StandardCharsets.US_ASCII)).endsWith("\r\n\r\nsecond");
    }

    @Test
    void abortForgetsTheMessageButNotTheConnection() {
        MilterSession s = negotiated(MilterSettings.defaults());
        s.handle(new MilterCommand.Helo("h.test"));
        s.handle(new MilterCommand.Macro((byte) 'M', Map.of("i", "OLD")));
        s.handle(new MilterCommand.Mail("<old@b.test>", List.of()));
        s.handle(new MilterCommand.Rcpt("<old@d.test>", List.of()));
        s.handle(new MilterCommand.Header("X-Old", "1"));
        MilterCommand.Body b = body("old body");
        ByteBuf chunk = b.chunk();
        s.handle(b);
        s.handle(new MilterCommand.Abort());
        assertThat(chunk.refCnt()).as("aborted body released").isZero();
        MessageToScan m = sendMessage(s, "NEW", "new@b.test", List.of("new@d.test"), "new body");
        assertThat(m.envelope().rcptTo()).containsExactly("new@d.test");
        assertThat(m.envelope().helo()).isEqualTo("h.test");
        assertThat(new String(m.raw(), StandardCharsets.US_ASCII)).doesNotContain("X-Old").doesNotContain("old body");
    }

    @Test
    void quitNcForgetsTheConnectionToo() {
        MilterSession s = negotiated(MilterSettings.defaults());
        s.handle(new MilterCommand.Helo("first.test"));
        s.handle(new MilterCommand.QuitNc());
        s.handle(new MilterCommand.Helo("second.test"));
        assertThat(sendMessage(s, "Q", "a@b.test", List.of("c@d.test"), "x").envelope().helo()).isEqualTo("second.test");
    }

    @Test
    void aMessageOverMaxSizeIsNotBufferedAndPassesUnscanned() {
        MilterSettings d = MilterSettings.defaults();
        MilterSettings small = new MilterSettings(d.bindSockets(), true, d.scanTimeout(), d.readTimeout(), false, false,
                d.rejectMessage(), d.tempfailMessage(), 100, d.fallback(), 1, true);
        MilterSession s = negotiated(small);
        MilterCommand.Body first = body("a".repeat(60));
        MilterCommand.Body second = body("b".repeat(60));
        ByteBuf firstChunk = first.chunk();
        ByteBuf secondChunk = second.chunk();
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        s.handle(first);
        s.handle(second);
        assertThat(firstChunk.refCnt()).isZero();
        assertThat(secondChunk.refCnt()).isZero();
        MessageToScan m = ((SessionStep.Scan) s.handle(new MilterCommand.BodyEob())).message();
        assertThat(m.oversized()).isTrue();
        assertThat(m.size()).isEqualTo(122);
        assertThat(s.passUnscanned()).containsExactly(MilterReply.ACCEPT);
    }

    @Test
    void anythingButAbortOrQuitWhileTheVerdictIsPendingIsAProtocolError() {
        MilterSession s = negotiated(MilterSettings.defaults());
        sendMessage(s, "Q", "a@b.test", List.of("c@d.test"), "x");
        assertThatThrownBy(() -> s.handle(new MilterCommand.Mail("<a@b>", List.of()))).isInstanceOf(MilterProtocolException.class);
        assertThat(s.handle(new MilterCommand.Abort())).isEqualTo(SessionStep.NOTHING);
        assertThat(s.awaitingVerdict()).isFalse();
    }

    private static org.mailsift.core.scan.ScanResult dummyResult() {
        return new org.mailsift.core.scan.ScanResult(0, 15, org.mailsift.core.scan.Action.NO_ACTION, Map.of(), List.of(), "undef",
                null, null, List.of(), false, 0, null);
    }
}
