package org.mailsift.milter.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import org.mailsift.milter.codec.MilterCommand.Family;

/**
 * Turns one packet from {@link MilterFrameDecoder} (command byte + data) into a {@link MilterCommand}.
 * Strings are NUL-terminated; header values are decoded as ISO-8859-1 so every byte survives the trip into the message
 * handed to the scanner, envelope strings as UTF-8 (SMTPUTF8 addresses).
 */
public final class MilterCommandDecoder extends MessageToMessageDecoder<ByteBuf> {

    public MilterCommandDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf packet, List<Object> out) {
        decode(packet, out);
    }

    /** Decodes one packet; package-visible for the fuzz test. */
    static void decode(ByteBuf packet, List<Object> out) {
        ByteBuf whole = packet.duplicate();
        byte command = packet.readByte();
        Packet p = new Packet(packet, whole);
        switch (command) {
            case MilterProtocol.CMD_OPTNEG -> out.add(optNeg(p));
            case MilterProtocol.CMD_MACRO -> out.add(macro(p));
            case MilterProtocol.CMD_CONNECT -> out.add(connect(p));
            case MilterProtocol.CMD_HELO -> out.add(new MilterCommand.Helo(p.string(StandardCharsets.UTF_8)));
            case MilterProtocol.CMD_MAIL -> {
                List<String> args = p.strings();
                out.add(new MilterCommand.Mail(p.first(args, "MAIL"), args.subList(1, args.size())));
            }
            case MilterProtocol.CMD_RCPT -> {
                List<String> args = p.strings();
                out.add(new MilterCommand.Rcpt(p.first(args, "RCPT"), args.subList(1, args.size())));
            }
            case MilterProtocol.CMD_DATA -> out.add(new MilterCommand.Data());
            case MilterProtocol.CMD_HEADER -> {
                String name = p.string(StandardCharsets.ISO_8859_1);
                String value = p.string(StandardCharsets.ISO_8859_1);
                if (name.isEmpty()) {
                    throw p.error("header without a name");
                }
                out.add(new MilterCommand.Header(name, value));
            }
            case MilterProtocol.CMD_EOH -> out.add(new MilterCommand.Eoh());
            case MilterProtocol.CMD_BODY -> out.add(new MilterCommand.Body(packet.readRetainedSlice(packet.readableBytes())));
            case MilterProtocol.CMD_BODYEOB -> {
                if (packet.isReadable()) {
                    out.add(new MilterCommand.Body(packet.readRetainedSlice(packet.readableBytes())));
                }
                out.add(new MilterCommand.BodyEob());
            }
            case MilterProtocol.CMD_ABORT -> out.add(new MilterCommand.Abort());
            case MilterProtocol.CMD_QUIT -> out.add(new MilterCommand.Quit());
            case MilterProtocol.CMD_QUIT_NC -> out.add(new MilterCommand.QuitNc());
            case MilterProtocol.CMD_UNKNOWN -> out.add(new MilterCommand.Unknown(p.string(StandardCharsets.UTF_8)));
            default -> throw p.error("unknown milter command " + printable(command));
        }
    }

    private static MilterCommand.OptNeg optNeg(Packet p) {
        if (p.buf.readableBytes() < 12) {
            throw p.error("OPTNEG needs 12 bytes of data, got " + p.buf.readableBytes());
        }
        // Sendmail may append more data in later versions; the three words are all version 6 defines
        return new MilterCommand.OptNeg(p.buf.readInt(), p.buf.readInt(), p.buf.readInt());
    }

    private static MilterCommand.Macro macro(Packet p) {
        if (!p.buf.isReadable()) {
            throw p.error("MACRO without the command byte it belongs to");
        }
        byte forCommand = p.buf.readByte();
        Map<String, String> macros = new LinkedHashMap<>();
        while (p.buf.isReadable()) {
            String name = p.string(StandardCharsets.UTF_8);
            String value = p.string(StandardCharsets.UTF_8);
            macros.put(name, value);
        }
        return new MilterCommand.Macro(forCommand, macros);
    }

    private static MilterCommand.Connect connect(Packet p) {
        String hostname = p.string(StandardCharsets.UTF_8);
        if (!p.buf.isReadable()) {
            throw p.error("CONNECT without an address family");
        }
        byte familyByte = p.buf.readByte();
        Family family = switch (familyByte) {
            case MilterProtocol.FAMILY_UNKNOWN -> Family.UNKNOWN;
            case MilterProtocol.FAMILY_UNIX -> Family.UNIX;
            case MilterProtocol.FAMILY_INET -> Family.INET;
            case MilterProtocol.FAMILY_INET6 -> Family.INET6;
            default -> throw p.error("CONNECT with unknown address family " + printable(familyByte));
        };
        if (family == Family.UNKNOWN) {
            return new MilterCommand.Connect(hostname, family, 0, null);
        }
        if (p.buf.readableBytes() < 2) {
            throw p.error("CONNECT without a port");
        }
        int port = p.buf.readUnsignedShort();
        String address = p.string(StandardCharsets.UTF_8);
        if (family == Family.INET6 && address.regionMatches(true, 0, "IPv6:", 0, 5)) {
            address = address.substring(5); // Sendmail's prefix
        }
        return new MilterCommand.Connect(hostname, family, port, address);
    }

    private static String printable(byte b) {
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "' (0x" + Integer.toHexString(b & 0xff) + ")" : "0x" + Integer.toHexString(b & 0xff);
    }

    /** The rest of a packet, with the whole packet kept for error messages. */
    private record Packet(ByteBuf buf, ByteBuf whole) {

        String string(java.nio.charset.Charset charset) {
            int nul = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
            if (nul < 0) {
                throw error("string not terminated by NUL");
            }
            String s = buf.toString(buf.readerIndex(), nul - buf.readerIndex(), charset);
            buf.readerIndex(nul + 1);
            return s;
        }

        List<String> strings() {
            List<String> out = new ArrayList<>();
            while (buf.isReadable()) {
                out.add(string(StandardCharsets.UTF_8));
            }
            return out;
        }

        String first(List<String> args, String what) {
            if (args.isEmpty()) {
                throw error(what + " without an address");
            }
            return args.get(0);
        }

        MilterProtocolException error(String problem) {
            return new MilterProtocolException(problem, whole);
        }
    }
}
