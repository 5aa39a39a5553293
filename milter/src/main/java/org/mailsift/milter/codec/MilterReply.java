package org.mailsift.milter.codec;

/** One reply from the filter to the MTA. Header edits come before exactly one final reply at end of message. */
public sealed interface MilterReply {
    Simple ACCEPT = new Simple(MilterProtocol.REPLY_ACCEPT);
    Simple CONTINUE = new Simple(MilterProtocol.REPLY_CONTINUE);
    Simple DISCARD = new Simple(MilterProtocol.REPLY_DISCARD);
    Simple REJECT = new Simple(MilterProtocol.REPLY_REJECT);
    Simple TEMPFAIL = new Simple(MilterProtocol.REPLY_TEMPFAIL);
    Simple SKIP = new Simple(MilterProtocol.REPLY_SKIP);
    Simple PROGRESS = new Simple(MilterProtocol.REPLY_PROGRESS);

    /** The reply's command byte. */
    byte code();

    /** A reply with no data: ACCEPT, CONTINUE, DISCARD, REJECT, TEMPFAIL, SKIP, PROGRESS. */
    record Simple(byte code) implements MilterReply {
        public Simple {
            if ("acdrtsp".indexOf(code) < 0) {
                throw new IllegalArgumentException("not a reply without data: " + (char) code);
            }
        }

        @Override
        public String toString() {
            return switch (code) {
                case MilterProtocol.REPLY_ACCEPT -> "ACCEPT";
                case MilterProtocol.REPLY_CONTINUE -> "CONTINUE";
                case MilterProtocol.REPLY_DISCARD -> "DISCARD";
                case MilterProtocol.REPLY_REJECT -> "REJECT";
                case MilterProtocol.REPLY_TEMPFAIL -> "TEMPFAIL";
                case MilterProtocol.REPLY_SKIP -> "SKIP";
                default -> "PROGRESS";
            };
        }
    }

    /** SMFIC_OPTNEG answer: the version, the actions we will take and the protocol flags we want. */
    record OptNeg(int version, int actions, int protocol) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_OPTNEG;
        }
    }

    /** SMFIR_ADDHEADER: append a header at the end of the header block. */
    record AddHeader(String name, String value) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_ADDHEADER;
        }
    }

    /** SMFIR_INSHEADER: insert a header at position {@code index} (0 = first). */
    record InsertHeader(int index, String name, String value) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_INSHEADER;
        }
    }

    /** SMFIR_CHGHEADER: replace the {@code index}-th (1-based) instance of {@code name}; an empty value deletes it. */
    record ChangeHeader(int index, String name, String value) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_CHGHEADER;
        }
    }

    /** SMFIR_REPLYCODE: reject or tempfail with this SMTP reply ("554 5.7.1 text"). */
    record ReplyCode(String smtpReply) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_REPLYCODE;
        }
    }

    /** SMFIR_QUARANTINE: hold the message in the MTA's hold queue with this reason. */
    record Quarantine(String reason) implements MilterReply {
        @Override
        public byte code() {
            return MilterProtocol.REPLY_QUARANTINE;
        }
    }
}
