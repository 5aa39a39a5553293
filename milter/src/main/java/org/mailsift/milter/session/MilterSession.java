package org.mailsift.milter.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import org.mailsift.core.message.Envelope;
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

    private boolean negotiated;
    private int protocol;
    private boolean awaitingVerdict;

    // connection facts
    private MilterCommand.Connect connect;
    private String helo;
    private final Map<String, String> connectionMacros = new HashMap<>();

    // the current message
    private String mailFrom;
    private final List<String> rcpts = new ArrayList<>();
    private final Map<String, String> messageMacros = new HashMap<>();
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
    }

    /** Consumes one command; a Body's buffer becomes the session's (released by it). */
    public SessionStep handle(MilterCommand command) {
        if (!negotiated && !(command instanceof MilterCommand.OptNeg)) {
            release(command);
            throw new MilterProtocolException(name(command) + " before option negotiation");
        }
        if (awaitingVerdict && !(command instanceof MilterCommand.Abort || command instanceof MilterCommand.Quit
                || command instanceof MilterCommand.QuitNc)) {
            release(command);
            throw new MilterProtocolException(name(command) + " while the end-of-message reply is pending");
        }
        return switch (command) {
            case MilterCommand.OptNeg o -> negotiate(o);
            case MilterCommand.Macro m -> {
                storeMacros(m);
                yield SessionStep.NOTHING;
            }
            case MilterCommand.Connect c -> {
                connect = c;
                yield continueUnless(MilterProtocol.PROTO_NR_CONN);
            }
            case MilterCommand.Helo h -> {
                helo = h.name();
                yield continueUnless(MilterProtocol.PROTO_NR_HELO);
            }
            case MilterCommand.Mail m -> {
                mailFrom = stripBrackets(m.address());
                rcpts.clear();
                yield continueUnless(MilterProtocol.PROTO_NR_MAIL);
            }
            case MilterCommand.Rcpt r -> {
                rcpts.add(stripBrackets(r.address()));
                yield continueUnless(MilterProtocol.PROTO_NR_RCPT);
            }
            case MilterCommand.Data d -> continueUnless(MilterProtocol.PROTO_NR_DATA);
            case MilterCommand.Header h -> {
                headers.add(h.name(), h.value());
                checkSize();
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
                resetConnection();
                yield SessionStep.NOTHING;
            }
            case MilterCommand.Unknown u -> continueUnless(MilterProtocol.PROTO_NR_UNKN);
        };
    }

    /** The end-of-message replies for a finished scan; the session is then ready for the next message. */
    public List<MilterReply> verdict(MessageToScan message, ScanResult result) {
        awaitingVerdict = false;
        return verdicts.forResult(result, message.headerCounts());
    }

    /** The end-of-message replies when the scan failed or timed out, or the message was not scanned. */
    public List<MilterReply> fallbackVerdict() {
        awaitingVerdict = false;
        return verdicts.fallback();
    }

    /** Accept unscanned (too big to buffer), keeping the session ready for the next message. */
    public List<MilterReply> passUnscanned() {
        awaitingVerdict = false;
        return List.of(MilterReply.ACCEPT);
    }

    public boolean awaitingVerdict() {
        return awaitingVerdict;
    }

    /** The queue id of the current message, for log lines ("-" when the MTA did not send {i}). */
    public String queueId() {
        String id = macro("i");
        return id == null ? "-" : id;
    }

    private SessionStep negotiate(MilterCommand.OptNeg offer) {
        if (offer.version() < MilterProtocol.VERSION) {
            log.warn("refusing milter protocol version {} from the MTA: only version {} is supported "
                    + "(Postfix: set milter_protocol = 6)", offer.version(), MilterProtocol.VERSION);
            return new SessionStep.Close("MTA offered milter protocol version " + offer.version());
        }
        protocol = offer.protocol() & noReplyWanted;
        negotiated = true;
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

    private void storeMacros(MilterCommand.Macro m) {
        // macros sent for CONNECT and HELO describe the connection; the others belong to the current message
        Map<String, String> target = m.forCommand() == MilterProtocol.CMD_CONNECT || m.forCommand() == MilterProtocol.CMD_HELO
                ? connectionMacros : messageMacros;
        m.macros().forEach((k, v) -> target.put(bare(k), v));
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

    private void checkSize() {
        if (!oversized && headers.bytes() + bodyBytes > settings.maxSize()) {
            oversized = true;
            releaseBody();
        }
    }

    private SessionStep endOfMessage() {
        awaitingVerdict = true;
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
        MessageToScan message = new MessageToScan(raw, envelope(), headers.countsByName(), size);
        resetMessage();
        awaitingVerdict = true;
        return new SessionStep.Scan(message);
    }

    Envelope envelope() {
        Envelope.Builder b = Envelope.builder()
                .helo(helo)
                .mailFrom(mailFrom)
                .queueId(macro("i"))
                .authUser(emptyToNull(macro("auth_authen")))
                .mtaName(macro("daemon_name") != null ? macro("daemon_name") : macro("j"))
                .tlsVersion(macro("tls_version"))
                .tlsCipher(macro("cipher"));
        String ip = macro("client_addr");
        String host = macro("client_name");
        if (connect != null) {
            if (ip == null && connect.family() != MilterCommand.Family.UNKNOWN && connect.family() != MilterCommand.Family.UNIX) {
                ip = connect.address();
            }
            if (connect.hostname() != null && !connect.hostname().isEmpty() && !connect.hostname().startsWith("[")) {
                host = connect.hostname();
            }
        }
        b.clientIp(emptyToNull(ip)).clientHostname(emptyToNull(host));
        rcpts.forEach(b::addRcpt);
        return b.build();
    }

    private String macro(String name) {
        String v = messageMacros.get(name);
        return v != null ? v : connectionMacros.get(name);
    }

    private void resetMessage() {
        awaitingVerdict = false;
        mailFrom = null;
        rcpts.clear();
        messageMacros.clear();
        headers.clear();
        releaseBody();
        bodyBytes = 0;
        oversized = false;
    }

    private void resetConnection() {
        connect = null;
        helo = null;
        connectionMacros.clear();
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

    /** "{auth_authen}" and "auth_authen" name the same macro (Sendmail sends single letters bare). */
    private static String bare(String macro) {
        return macro.length() > 2 && macro.startsWith("{") && macro.endsWith("}") ? macro.substring(1, macro.length() - 1) : macro;
    }

    private static String stripBrackets(String address) {
        String a = address.trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        return a;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
