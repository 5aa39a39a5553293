package org.mailsift.milter.session;

import java.util.List;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterCommand;
import org.mailsift.milter.codec.MilterProtocol;
import org.mailsift.milter.codec.MilterProtocolException;
import org.mailsift.milter.codec.MilterReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation on one milter connection: option negotiation, connection facts (CONNECT, HELO, their macros) and the
 * current message (MAIL, RCPT, headers, body, their macros). Several messages may follow each other; ABORT forgets only
 * the message. Runs on the connection's event loop, one command at a time; it never touches the channel.
 */
public final class MilterSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MilterSession.class);

    /** Actions we use: add/insert headers, change/delete headers, quarantine. Nothing else is asked for. */
    static final int ACTIONS_USED = MilterProtocol.ACTION_ADDHDRS | MilterProtocol.ACTION_CHGHDRS | MilterProtocol.ACTION_QUARANTINE;

    private final ByteBufAllocator alloc;
    private final MilterSettings settings;
    private final VerdictReplies verdicts;
    private final int noReplyWanted;

    private SessionState state = SessionState.AWAITING_OPTNEG;
    private int protocol;

    private final EnvelopeFacts facts;
    private final ReceivedHeaders headers = new ReceivedHeaders();
    private CompositeByteBuf body;
    private long bodyBytes;
    private boolean oversized;

    /**
     * @param noReplyWanted the SMFIP_NR_* bits to ask for (granted only when the MTA offers them); steps without one are
     *                      answered with CONTINUE
     */
    public MilterSession(ByteBufAllocator alloc, MilterSettings settings, int noReplyWanted) {
        this.alloc = alloc;
        this.settings = settings;
        this.verdicts = new VerdictReplies(settings);
        this.noReplyWanted = noReplyWanted & MilterProtocol.PROTO_ALL_NO_REPLY;
        this.facts = new EnvelopeFacts(settings.limits());
    }

    /**
     * Consumes one command; a Body's buffer becomes the session's (released by it). A command the state table does not
     * allow now throws {@link MilterProtocolException}; one that goes over a limit throws {@link SessionLimitException}.
     * Either way the caller closes the connection.
     */
    public SessionStep handle(MilterCommand command) {
        SessionState.Command kind = SessionState.Command.of(command);
        SessionState next = state.next(kind).orElse(null);
        if (next == null) {
            release(command);
            throw new MilterProtocolException(kind + " is out of order in state " + state);
        }
        state = next;
        return switch (command) {
            case MilterCommand.OptNeg o -> negotiate(o);
            case MilterCommand.Macro m -> {
                facts.macros(m);
                yield SessionStep.NOTHING;
            }
            case MilterCommand.Connect c -> {
                facts.connect(c);
                yield continueUnless(MilterProtocol.PROTO_NR_CONN);
            }
            case MilterCommand.Helo h -> {
                facts.helo(h.name());
                yield continueUnless(MilterProtocol.PROTO_NR_HELO);
            }
            case MilterCommand.Mail m -> {
                facts.mail(m.address());
                yield continueUnless(MilterProtocol.PROTO_NR_MAIL);
            }
            case MilterCommand.Rcpt r -> {
                facts.rcpt(r.address());
                yield continueUnless(MilterProtocol.PROTO_NR_RCPT);
            }
            case MilterCommand.Data d -> continueUnless(MilterProtocol.PROTO_NR_DATA);
            case MilterCommand.Header h -> {
                addHeader(h);
                yield continueUnless(MilterProtocol.PROTO_NR_HDR);
            }
            case MilterCommand.Eoh e -> continueUnless(MilterProtocol.PROTO_NR_EOH);
            case MilterCommand.Body b -> {
                appendBody(b);
                yield continueUnless(MilterProtocol.PROTO_NR_BODY);
            }
            case MilterCommand.BodyEob e -> endOfMessage();
            case MilterCommand.Abort a -> {
                resetMessage();
                yield SessionStep.NOTHING;
            }
            case MilterCommand.Quit q -> new SessionStep.Close("MTA sent QUIT");
            case MilterCommand.QuitNc q -> {
                resetMessage();
                facts.resetConnection();
                yield SessionStep.NOTHING;
            }
            case MilterCommand.Unknown u -> continueUnless(MilterProtocol.PROTO_NR_UNKN);
        };
    }

    /** The end-of-message replies for a finished scan; the session is then ready for the next message. */
    public List<MilterReply> verdict(MessageToScan message, ScanResult result) {
        verdictSent();
        return verdicts.forResult(result, message.headerCounts());
    }

    /** The end-of-message replies when the scan failed or timed out, or the message was not scanned. */
    public List<MilterReply> fallbackVerdict() {
        verdictSent();
        return verdicts.fallback();
    }

    /** Accept unscanned (too big to buffer), keeping the session ready for the next message. */
    public List<MilterReply> passUnscanned() {
        verdictSent();
        return List.of(MilterReply.ACCEPT);
    }

    public boolean awaitingVerdict() {
        return state == SessionState.AWAITING_VERDICT;
    }

    /** Where the conversation stands. */
    public SessionState state() {
        return state;
    }

    /**
     * What this connection makes us hold for its message and connection: header text, body bytes, macros and
     * recipients. Bounded by max_size plus the macro and recipient caps, whatever the MTA sends.
     */
    public long retainedBytes() {
        return headers.keptChars() + (body == null ? 0 : body.readableBytes()) + facts.retainedChars();
    }

    private void verdictSent() {
        if (state != SessionState.AWAITING_VERDICT) {
            throw new IllegalStateException("no verdict is pending in state " + state);
        }
        state = SessionState.BETWEEN_MESSAGES;
    }

    private SessionStep negotiate(MilterCommand.OptNeg offer) {
        if (offer.version() < MilterProtocol.VERSION) {
            log.warn("refusing milter protocol version {} from the MTA: only version {} is supported "
                    + "(Postfix: set milter_protocol = 6)", offer.version(), MilterProtocol.VERSION);
            return new SessionStep.Close("MTA offered milter protocol version " + offer.version());
        }
        protocol = offer.protocol() & noReplyWanted;
        int actions = offer.actions() & ACTIONS_USED;
        if (actions != ACTIONS_USED) {
            log.warn("the MTA does not allow every action the milter uses (offered 0x{}, wanted 0x{}): some verdicts "
                    + "cannot change headers or quarantine", Integer.toHexString(offer.actions()), Integer.toHexString(ACTIONS_USED));
        }
        return SessionStep.Reply.of(new MilterReply.OptNeg(MilterProtocol.VERSION, actions, protocol));
    }

    private SessionStep continueUnless(int noReplyFlag) {
        return (protocol & noReplyFlag) != 0 ? SessionStep.NOTHING : SessionStep.Reply.of(MilterReply.CONTINUE);
    }

    private void appendBody(MilterCommand.Body b) {
        int n = b.chunk().readableBytes();
        bodyBytes += n;
        if (oversized || n == 0) {
            b.release();
            return;
        }
        if (body == null) {
            body = alloc.compositeBuffer(Integer.MAX_VALUE); // no consolidation: the chunks are never copied here
        }
        body.addComponent(true, b.chunk());
        checkSize();
    }

    private void addHeader(MilterCommand.Header h) {
        if (headers.count() >= settings.limits().maxHeaders()) {
            throw new SessionLimitException("more than " + settings.limits().maxHeaders() + " headers (max_headers)");
        }
        if (oversized) {
            headers.countOnly(h.name(), h.value()); // the message passes unscanned: its headers are not kept
        } else {
            headers.add(h.name(), h.value());
            checkSize();
        }
    }

    private void checkSize() {
        if (!oversized && headers.bytes() + bodyBytes > settings.maxSize()) {
            oversized = true;
            releaseBody();
            headers.forgetText();
        }
    }

    private SessionStep endOfMessage() {
        long size = headers.bytes() + 2 + bodyBytes;
        byte[] raw = null;
        if (!oversized) {
            byte[] head = headers.toBytes();
            int bodyLen = body == null ? 0 : body.readableBytes();
            raw = new byte[head.length + bodyLen];
            System.arraycopy(head, 0, raw, 0, head.length);
            if (body != null) {
                body.getBytes(body.readerIndex(), raw, head.length, bodyLen);
            }
        }
        MessageToScan message = new MessageToScan(raw, facts.envelope(), headers.countsByName(), size);
        resetMessage();
        return new SessionStep.Scan(message); // the state stays AWAITING_VERDICT until the handler asks for the replies
    }

    private void resetMessage() {
        facts.resetMessage();
        headers.clear();
        releaseBody();
        bodyBytes = 0;
        oversized = false;
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    /** Releases the buffered body; call when the connection closes. */
    @Override
    public void close() {
        releaseBody();
    }

    private static void release(MilterCommand command) {
        if (command instanceof MilterCommand.Body b) {
            b.release();
        }
    }

    private static String name(MilterCommand c) {
        return c.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }
}
