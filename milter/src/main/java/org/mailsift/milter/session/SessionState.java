package org.mailsift.milter.session;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import org.mailsift.milter.codec.MilterCommand;

/**
 * Where a milter conversation stands, and the one table of which command may come next (libmilter's state table,
 * made strict: an out-of-order command is a protocol error instead of a silent reset). We never ask the MTA to skip
 * a step (no SMFIP_NO* flags), so only the skips real MTAs make are allowed: HELO is optional, and DATA is optional
 * (Postfix's non-SMTP milters go from RCPT straight to the headers). MACRO never changes the state.
 */
public enum SessionState {
    /** Connected, nothing received: only OPTNEG. */
    AWAITING_OPTNEG,
    /** Options agreed: the MTA's CONNECT comes next (also after QUIT_NC, for the next SMTP connection). */
    AWAITING_CONNECT,
    /** CONNECT (and maybe HELO) seen, no message under way: HELO, MAIL or an unknown SMTP command. */
    BETWEEN_MESSAGES,
    /** MAIL seen: recipients come next. */
    MAIL_SEEN,
    /** At least one RCPT seen: more recipients, DATA, or the headers. */
    RCPT_SEEN,
    /** DATA seen: the headers come next (or EOH for a message without any). */
    DATA_SEEN,
    /** Receiving headers. */
    HEADERS,
    /** EOH seen: body chunks, then end of message. */
    BODY,
    /** End of message seen: the verdict is pending; only ABORT or QUIT may come. */
    AWAITING_VERDICT,
    /** QUIT seen. */
    CLOSED;

    /** The milter commands, as the state table names them. */
    enum Command {
        OPTNEG, MACRO, CONNECT, HELO, MAIL, RCPT, DATA, HEADER, EOH, BODY, BODYEOB, ABORT, QUIT, QUIT_NC, UNKNOWN;

        static Command of(MilterCommand c) {
            return switch (c) {
                case MilterCommand.OptNeg x -> OPTNEG;
                case MilterCommand.Macro x -> MACRO;
                case MilterCommand.Connect x -> CONNECT;
                case MilterCommand.Helo x -> HELO;
                case MilterCommand.Mail x -> MAIL;
                case MilterCommand.Rcpt x -> RCPT;
                case MilterCommand.Data x -> DATA;
                case MilterCommand.Header x -> HEADER;
                case MilterCommand.Eoh x -> EOH;
                case MilterCommand.Body x -> BODY;
                case MilterCommand.BodyEob x -> BODYEOB;
                case MilterCommand.Abort x -> ABORT;
                case MilterCommand.Quit x -> QUIT;
                case MilterCommand.QuitNc x -> QUIT_NC;
                case MilterCommand.Unknown x -> UNKNOWN;
            };
        }
    }

    private static final Map<SessionState, Map<Command, SessionState>> TABLE = new EnumMap<>(SessionState.class);

    static {
        on(AWAITING_OPTNEG).to(Command.OPTNEG, AWAITING_CONNECT);
        // every state after negotiation: QUIT ends, QUIT_NC starts over at CONNECT
        for (SessionState s : EnumSet.range(AWAITING_CONNECT, AWAITING_VERDICT)) {
            on(s).to(Command.QUIT, CLOSED).to(Command.QUIT_NC, AWAITING_CONNECT);
        }
        // ABORT forgets the message (and is harmless outside one); MACRO describes the command that follows
        for (SessionState s : EnumSet.range(AWAITING_CONNECT, AWAITING_VERDICT)) {
            on(s).to(Command.ABORT, s == AWAITING_CONNECT ? AWAITING_CONNECT : BETWEEN_MESSAGES);
            if (s != AWAITING_VERDICT) {
                on(s).to(Command.MACRO, s);
            }
        }
        on(AWAITING_CONNECT).to(Command.CONNECT, BETWEEN_MESSAGES).to(Command.UNKNOWN, AWAITING_CONNECT);
        on(BETWEEN_MESSAGES).to(Command.HELO, BETWEEN_MESSAGES).to(Command.MAIL, MAIL_SEEN).to(Command.UNKNOWN, BETWEEN_MESSAGES);
        on(MAIL_SEEN).to(Command.RCPT, RCPT_SEEN).to(Command.UNKNOWN, MAIL_SEEN);
        on(RCPT_SEEN).to(Command.RCPT, RCPT_SEEN).to(Command.DATA, DATA_SEEN).to(Command.HEADER, HEADERS)
                .to(Command.EOH, BODY).to(Command.UNKNOWN, RCPT_SEEN);
        on(DATA_SEEN).to(Command.HEADER, HEADERS).to(Command.EOH, BODY);
        on(HEADERS).to(Command.HEADER, HEADERS).to(Command.EOH, BODY);
        on(BODY).to(Command.BODY, BODY).to(Command.BODYEOB, AWAITING_VERDICT);
    }

    /** The state after {@code command}, or empty when the command may not come now. */
    Optional<SessionState> next(Command command) {
        return Optional.ofNullable(TABLE.getOrDefault(this, Map.of()).get(command));
    }

    private static Row on(SessionState from) {
        return new Row(TABLE.computeIfAbsent(from, s -> new EnumMap<>(Command.class)));
    }

    private record Row(Map<Command, SessionState> row) {
        Row to(Command command, SessionState target) {
            row.put(command, target);
            return this;
        }
    }
}
