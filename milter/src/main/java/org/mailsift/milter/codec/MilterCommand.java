package org.mailsift.milter.codec;

import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/** One command from the MTA, decoded. Only {@link Body} holds a buffer; the handler that consumes it releases it. */
public sealed interface MilterCommand {

    /** SMFIC_OPTNEG: the MTA's protocol version, the actions it allows and the protocol steps it can leave out. */
    record OptNeg(int version, int actions, int protocol) implements MilterCommand {
    }

    /** SMFIC_MACRO: macros for the step {@code forCommand} (a command byte such as 'C', 'M'), in the order sent. */
    record Macro(byte forCommand, Map<String, String> macros) implements MilterCommand {
        public Macro {
            macros = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(macros));
        }
    }

    /** SMFIC_CONNECT: client host name (Postfix: reverse name or "unknown"), family, port and address. */
    record Connect(String hostname, Family family, int port, String address) implements MilterCommand {
    }

    enum Family {
        UNKNOWN, UNIX, INET, INET6
    }

    /** SMFIC_HELO. */
    record Helo(String name) implements MilterCommand {
    }

    /** SMFIC_MAIL: the address as sent (usually in angle brackets) and the ESMTP arguments ("SIZE=123"). */
    record Mail(String address, List<String> esmtpArgs) implements MilterCommand {
        public Mail {
            esmtpArgs = List.copyOf(esmtpArgs);
        }
    }

    /** SMFIC_RCPT: as {@link Mail}. */
    record Rcpt(String address, List<String> esmtpArgs) implements MilterCommand {
        public Rcpt {
            esmtpArgs = List.copyOf(esmtpArgs);
        }
    }

    /** SMFIC_DATA: the client sent DATA. */
    record Data() implements MilterCommand {
    }

    /** SMFIC_HEADER: one header; the value has its leading space removed by the MTA, folds kept. */
    record Header(String name, String value) implements MilterCommand {
    }

    /** SMFIC_EOH: end of headers. */
    record Eoh() implements MilterCommand {
    }

    /** SMFIC_BODY: one body chunk, a retained slice of the received packet (no copy). Release it when done. */
    record Body(ByteBuf chunk) implements MilterCommand, ReferenceCounted {
        @Override
        public int refCnt() {
            return chunk.refCnt();
        }

        @Override
        public Body retain() {
            chunk.retain();
            return this;
        }

        @Override
        public Body retain(int increment) {
            chunk.retain(increment);
            return this;
        }

        @Override
        public Body touch() {
            chunk.touch();
            return this;
        }

        @Override
        public Body touch(Object hint) {
            chunk.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return chunk.release();
        }

        @Override
        public boolean release(int decrement) {
            return chunk.release(decrement);
        }
    }

    /** SMFIC_BODYEOB: end of message; the filter must now answer. A final chunk sent with it arrives as a Body first. */
    record BodyEob() implements MilterCommand {
    }

    /** SMFIC_ABORT: forget the current message (RSET, or the MTA gave up); the connection stays. */
    record Abort() implements MilterCommand {
    }

    /** SMFIC_QUIT: the MTA closes the milter connection. */
    record Quit() implements MilterCommand {
    }

    /** SMFIC_QUIT_NC: the SMTP connection ended but the milter connection is reused for the next one. */
    record QuitNc() implements MilterCommand {
    }

    /** SMFIC_UNKNOWN: an SMTP command the MTA did not recognise, as the client sent it. */
    record Unknown(String command) implements MilterCommand {
    }
}
