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

    /** Negotiated and past CONNECT, as every conversation with Postfix starts. */
    private static MilterSession connected(MilterSettings settings) {
        MilterSession s = negotiated(settings);
        s.handle(new MilterCommand.Connect("client.test", Family.INET, 25, "192.0.2.9"));
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
        assertThat(s.handle(new MilterCommand.Unknown("FOO"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Data())).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Header("A", "b"))).isEqualTo(cont);
        assertThat(s.handle(new MilterCommand.Eoh())).isEqualTo(cont);
        assertThat(s.handle(body("x"))).isEqualTo(cont);
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
        assertThatThrownBy(() -> s.handle(b)).isInstanceOf(MilterProtocolException.class).hasMessage("BODY is out of order in state AWAITING_OPTNEG");
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
        MilterSession s = connected(MilterSettings.defaults());
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
        MilterSession s = connected(MilterSettings.defaults());
        s.handle(new MilterCommand.Helo("h.test"));
        s.handle(new MilterCommand.Macro((byte) 'M', Map.of("i", "OLD")));
        s.handle(new MilterCommand.Mail("<old@b.test>", List.of()));
        s.handle(new MilterCommand.Rcpt("<old@d.test>", List.of()));
        s.handle(new MilterCommand.Header("X-Old", "1"));
        s.handle(new MilterCommand.Eoh());
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
        s.handle(new MilterCommand.Connect("first.test", Family.INET, 25, "192.0.2.1"));
        s.handle(new MilterCommand.Helo("first.test"));
        s.handle(new MilterCommand.QuitNc());
        s.handle(new MilterCommand.Connect("second.test", Family.INET, 25, "192.0.2.2"));
        s.handle(new MilterCommand.Helo("second.test"));
        assertThat(sendMessage(s, "Q", "a@b.test", List.of("c@d.test"), "x").envelope().helo()).isEqualTo("second.test");
    }

    @Test
    void aMessageOverMaxSizeIsNotBufferedAndPassesUnscanned() {
        MilterSettings d = MilterSettings.defaults();
        MilterSettings small = new MilterSettings(d.bindSockets(), true, d.scanTimeout(), d.readTimeout(), false, false,
                d.rejectMessage(), d.tempfailMessage(), 100, d.fallback(), 1, true, org.mailsift.milter.MilterLimits.defaults());
        MilterSession s = connected(small);
        MilterCommand.Body first = body("a".repeat(60));
        MilterCommand.Body second = body("b".repeat(60));
        ByteBuf firstChunk = first.chunk();
        ByteBuf secondChunk = second.chunk();
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        s.handle(new MilterCommand.Rcpt("<c@d.test>", List.of()));
        s.handle(new MilterCommand.Eoh());
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
        MilterSession s = connected(MilterSettings.defaults());
        sendMessage(s, "Q", "a@b.test", List.of("c@d.test"), "x");
        assertThatThrownBy(() -> s.handle(new MilterCommand.Mail("<a@b>", List.of()))).isInstanceOf(MilterProtocolException.class);
        assertThat(s.handle(new MilterCommand.Abort())).isEqualTo(SessionStep.NOTHING);
        assertThat(s.awaitingVerdict()).isFalse();
    }

    private static MilterSettings limited(long maxSize, org.mailsift.milter.MilterLimits limits) {
        MilterSettings d = MilterSettings.defaults();
        return new MilterSettings(d.bindSockets(), true, d.scanTimeout(), d.readTimeout(), false, false, d.rejectMessage(),
                d.tempfailMessage(), maxSize, d.fallback(), 1, true, limits);
    }

    private static org.mailsift.milter.MilterLimits caps(int headers, int rcpts, int macroBytes) {
        org.mailsift.milter.MilterLimits d = org.mailsift.milter.MilterLimits.defaults();
        return new org.mailsift.milter.MilterLimits(headers, rcpts, d.maxAddressBytes(), macroBytes, d.maxConnections(),
                d.maxConnectionsPerIp(), d.packetTimeout());
    }

    @Test
    void headersPastMaxSizeAreCountedButNotKept() {
        // the audit's attack: 8,000 x 200 KB header packets on one connection ran the daemon out of memory
        MilterSession s = connected(limited(1024 * 1024, caps(100_000, 1000, 65536)));
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        s.handle(new MilterCommand.Rcpt("<c@d.test>", List.of()));
        String big = "v".repeat(200 * 1024);
        for (int i = 0; i < 8_000; i++) {
            s.handle(new MilterCommand.Header("X-Flood", big));
            assertThat(s.retainedBytes()).isLessThanOrEqualTo(1024 * 1024 + 200 * 1024);
        }
        s.handle(new MilterCommand.Eoh());
        MessageToScan m = ((SessionStep.Scan) s.handle(new MilterCommand.BodyEob())).message();
        assertThat(m.oversized()).isTrue();
        assertThat(m.size()).isGreaterThan(8_000L * 200 * 1024);
        assertThat(s.retainedBytes()).isLessThan(1000);
        assertThat(s.passUnscanned()).containsExactly(MilterReply.ACCEPT);
    }

    @Test
    void oneHeaderMoreThanMaxHeadersEndsTheConnection() {
        MilterSession s = connected(limited(MilterSettings.DEFAULT_MAX_SIZE, caps(50, 1000, 65536)));
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        s.handle(new MilterCommand.Rcpt("<c@d.test>", List.of()));
        for (int i = 0; i < 50; i++) {
            s.handle(new MilterCommand.Header("Received", "hop " + i));
        }
        assertThatThrownBy(() -> s.handle(new MilterCommand.Header("Received", "one too many")))
                .isInstanceOf(SessionLimitException.class).hasMessage("more than 50 headers (max_headers)");
    }

    @Test
    void oneRecipientMoreThanMaxRecipientsEndsTheConnection() {
        MilterSession s = connected(limited(MilterSettings.DEFAULT_MAX_SIZE, caps(1000, 3, 65536)));
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        for (int i = 0; i < 3; i++) {
            s.handle(new MilterCommand.Rcpt("<r" + i + "@d.test>", List.of()));
        }
        assertThatThrownBy(() -> s.handle(new MilterCommand.Rcpt("<r3@d.test>", List.of())))
                .isInstanceOf(SessionLimitException.class).hasMessage("more than 3 recipients (max_recipients)");
    }

    @Test
    void anAddressLongerThanSmtpAllowsEndsTheConnection() {
        MilterSession s = connected(MilterSettings.defaults());
        s.handle(new MilterCommand.Mail("<a@b.test>", List.of()));
        assertThatThrownBy(() -> s.handle(new MilterCommand.Rcpt("<" + "r".repeat(200_000) + "@d.test>", List.of())))
                .isInstanceOf(SessionLimitException.class).hasMessageStartingWith("RCPT address of 200009 characters");
    }

    @Test
    void macrosBeyondMaxMacroSizeEndTheConnectionButReplacedValuesDoNotAddUp() {
        MilterSession s = connected(limited(MilterSettings.DEFAULT_MAX_SIZE, caps(1000, 1000, 1000)));
        for (int i = 0; i < 100; i++) {
            s.handle(new MilterCommand.Macro((byte) 'M', Map.of("{client_addr}", "192.0.2." + i, "i", "Q" + i)));
        }
        assertThatThrownBy(() -> s.handle(new MilterCommand.Macro((byte) 'C', Map.of("{flood}", "x".repeat(1000)))))
                .isInstanceOf(SessionLimitException.class).hasMessage("macros of more than 1000 bytes (max_macro_size)");
    }

    @Test
    void outOfOrderCommandsAreProtocolErrors() {
        record Case(String name, java.util.function.Consumer<MilterSession> before, MilterCommand bad, String message) { }
        List<Case> cases = List.of(
                new Case("RCPT before MAIL", s -> { }, new MilterCommand.Rcpt("<c@d>", List.of()),
                        "RCPT is out of order in state BETWEEN_MESSAGES"),
                new Case("BODY before EOH", s -> {
                    s.handle(new MilterCommand.Mail("<a@b>", List.of()));
                    s.handle(new MilterCommand.Rcpt("<c@d>", List.of()));
                    s.handle(new MilterCommand.Data());
                    s.handle(new MilterCommand.Header("Subject", "x"));
                }, body("early"), "BODY is out of order in state HEADERS"),
                new Case("HEADER after EOH", s -> {
                    s.handle(new MilterCommand.Mail("<a@b>", List.of()));
                    s.handle(new MilterCommand.Rcpt("<c@d>", List.of()));
                    s.handle(new MilterCommand.Eoh());
                }, new MilterCommand.Header("Late", "x"), "HEADER is out of order in state BODY"),
                new Case("DATA before RCPT", s -> s.handle(new MilterCommand.Mail("<a@b>", List.of())), new MilterCommand.Data(),
                        "DATA is out of order in state MAIL_SEEN"),
                new Case("MAIL inside a message", s -> s.handle(new MilterCommand.Mail("<a@b>", List.of())),
                        new MilterCommand.Mail("<x@y>", List.of()), "MAIL is out of order in state MAIL_SEEN"),
                new Case("end of message without a message", s -> { }, new MilterCommand.BodyEob(),
                        "BODYEOB is out of order in state BETWEEN_MESSAGES"),
                new Case("a second OPTNEG", s -> { }, new MilterCommand.OptNeg(6, 0x1ff, 0x1fffff),
                        "OPTNEG is out of order in state BETWEEN_MESSAGES"),
                new Case("a second CONNECT", s -> { }, new MilterCommand.Connect("h", Family.INET, 1, "192.0.2.1"),
                        "CONNECT is out of order in state BETWEEN_MESSAGES"));
        for (Case c : cases) {
            MilterSession s = connected(MilterSettings.defaults());
            c.before().accept(s);
            assertThatThrownBy(() -> s.handle(c.bad())).as(c.name()).isInstanceOf(MilterProtocolException.class).hasMessage(c.message());
            if (c.bad() instanceof MilterCommand.Body b) {
                assertThat(b.refCnt()).as("refused body chunk released").isZero();
            }
            s.close();
        }
    }

    @Test
    void heloIsOptionalAndMayRepeatAndDataIsOptional() {
        MilterSession s = connected(MilterSettings.defaults());
        s.handle(new MilterCommand.Helo("first"));
        s.handle(new MilterCommand.Unknown("XFOO"));
        s.handle(new MilterCommand.Helo("after-starttls"));
        s.handle(new MilterCommand.Mail("<a@b>", List.of()));
        s.handle(new MilterCommand.Rcpt("<c@d>", List.of()));
        s.handle(new MilterCommand.Header("Subject", "no DATA step (Postfix's non-SMTP milters)"));
        s.handle(new MilterCommand.Eoh());
        assertThat(s.handle(new MilterCommand.BodyEob())).isInstanceOf(SessionStep.Scan.class);
        assertThat(s.state()).isEqualTo(SessionState.AWAITING_VERDICT);
        s.fallbackVerdict();
        assertThat(s.state()).isEqualTo(SessionState.BETWEEN_MESSAGES);
    }

    private static org.mailsift.core.scan.ScanResult dummyResult() {
        return new org.mailsift.core.scan.ScanResult(0, 15, org.mailsift.core.scan.Action.NO_ACTION, Map.of(), List.of(), "undef",
                null, null, List.of(), 0, null);
    }
}
