package org.mailsift.milter.codec;

/**
 * Constants of the milter protocol version 6 as Sendmail's libmilter (mfdef.h) and Postfix (milter8.c) define them.
 * Command bytes go MTA to filter, reply bytes filter to MTA.
 */
public final class MilterProtocol {
    private MilterProtocol() {
    }

    /** The only protocol version we speak; Postfix 2.6+ and Sendmail 8.14+ offer it. */
    public static final int VERSION = 6;

    // commands, MTA -> filter
    public static final byte CMD_ABORT = 'A';
    public static final byte CMD_BODY = 'B';
    public static final byte CMD_CONNECT = 'C';
    public static final byte CMD_MACRO = 'D';
    public static final byte CMD_BODYEOB = 'E';
    public static final byte CMD_HELO = 'H';
    public static final byte CMD_QUIT_NC = 'K';
    public static final byte CMD_HEADER = 'L';
    public static final byte CMD_MAIL = 'M';
    public static final byte CMD_EOH = 'N';
    public static final byte CMD_OPTNEG = 'O';
    public static final byte CMD_QUIT = 'Q';
    public static final byte CMD_RCPT = 'R';
    public static final byte CMD_DATA = 'T';
    public static final byte CMD_UNKNOWN = 'U';

    // replies, filter -> MTA
    public static final byte REPLY_ADDRCPT = '+';
    public static final byte REPLY_DELRCPT = '-';
    public static final byte REPLY_ACCEPT = 'a';
    public static final byte REPLY_CONTINUE = 'c';
    public static final byte REPLY_DISCARD = 'd';
    public static final byte REPLY_ADDHEADER = 'h';
    public static final byte REPLY_INSHEADER = 'i';
    public static final byte REPLY_CHGHEADER = 'm';
    public static final byte REPLY_PROGRESS = 'p';
    public static final byte REPLY_QUARANTINE = 'q';
    public static final byte REPLY_REJECT = 'r';
    public static final byte REPLY_SKIP = 's';
    public static final byte REPLY_TEMPFAIL = 't';
    public static final byte REPLY_REPLYCODE = 'y';
    public static final byte REPLY_OPTNEG = 'O';

    // actions the filter may take (SMFIF_*)
    public static final int ACTION_ADDHDRS = 0x01;
    public static final int ACTION_CHGBODY = 0x02;
    public static final int ACTION_ADDRCPT = 0x04;
    public static final int ACTION_DELRCPT = 0x08;
    public static final int ACTION_CHGHDRS = 0x10;
    public static final int ACTION_QUARANTINE = 0x20;

    // protocol flags (SMFIP_*): steps the MTA leaves out, and steps the filter will not answer
    public static final int PROTO_NOCONNECT = 0x1;
    public static final int PROTO_NOHELO = 0x2;
    public static final int PROTO_NOMAIL = 0x4;
    public static final int PROTO_NORCPT = 0x8;
    public static final int PROTO_NOBODY = 0x10;
    public static final int PROTO_NOHDRS = 0x20;
    public static final int PROTO_NOEOH = 0x40;
    public static final int PROTO_NR_HDR = 0x80;
    public static final int PROTO_NOUNKNOWN = 0x100;
    public static final int PROTO_NODATA = 0x200;
    public static final int PROTO_SKIP = 0x400;
    public static final int PROTO_RCPT_REJ = 0x800;
    public static final int PROTO_NR_CONN = 0x1000;
    public static final int PROTO_NR_HELO = 0x2000;
    public static final int PROTO_NR_MAIL = 0x4000;
    public static final int PROTO_NR_RCPT = 0x8000;
    public static final int PROTO_NR_DATA = 0x10000;
    public static final int PROTO_NR_UNKN = 0x20000;
    public static final int PROTO_NR_EOH = 0x40000;
    public static final int PROTO_NR_BODY = 0x80000;
    public static final int PROTO_HDR_LEADSPC = 0x100000;

    /** Every "no reply" bit: with all of them the filter answers only at end of message, as Rspamd does. */
    public static final int PROTO_ALL_NO_REPLY = PROTO_NR_HDR | PROTO_NR_CONN | PROTO_NR_HELO | PROTO_NR_MAIL | PROTO_NR_RCPT
            | PROTO_NR_DATA | PROTO_NR_UNKN | PROTO_NR_EOH | PROTO_NR_BODY;

    /** Connection families in SMFIC_CONNECT. */
    public static final byte FAMILY_UNKNOWN = 'U';
    public static final byte FAMILY_UNIX = 'L';
    public static final byte FAMILY_INET = '4';
    public static final byte FAMILY_INET6 = '6';
}
