package org.mailsift.milter.session;

import java.util.List;

import org.mailsift.milter.codec.MilterReply;

/** What the connection handler must do after the session saw one command. */
public sealed interface SessionStep {
    Reply NOTHING = new Reply(List.of());

    /** Write these replies (often none: the no-reply flags were negotiated). */
    record Reply(List<MilterReply> replies) implements SessionStep {
        public Reply {
            replies = List.copyOf(replies);
        }

        static Reply of(MilterReply reply) {
            return new Reply(List.of(reply));
        }
    }

    /** End of message: scan it off the event loop, then answer with {@link MilterSession#verdict}. */
    record Scan(MessageToScan message) implements SessionStep {
    }

    /** The MTA quit, negotiation failed or a command came out of order: close the connection (no reply). */
    record Close(String reason) implements SessionStep {
    }
}
