package org.mailsift.milter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.mailsift.milter.codec.MilterProtocol;

/** Builds milter packets as an MTA sends them, for transcript tests: 4-byte length, command byte, data. */
public final class MilterFrames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static MilterFrames frames() {
        return new MilterFrames();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** A packet with raw data. */
    public MilterFrames packet(byte command, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length + 1).array());
        out.write(command);
        out.writeBytes(data);
        return this;
    }

    public MilterFrames optneg(int version, int actions, int protocol) {
        return packet(MilterProtocol.CMD_OPTNEG, ByteBuffer.allocate(12).putInt(version).putInt(actions).putInt(protocol).array());
    }

    /** What Postfix 3.7 offers: version 6, every action, every protocol bit. */
    public MilterFrames postfixOptneg() {
        return optneg(6, 0x1ff, 0x1fffff);
    }

    public MilterFrames macro(char forCommand, String... nameValues) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(forCommand);
        for (String s : nameValues) {
            cstr(d, s);
        }
        return packet(MilterProtocol.CMD_MACRO, d.toByteArray());
    }

    public MilterFrames connect(String host, char family, int port, String address) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        cstr(d, host);
        d.write(family);
        if (family != 'U') {
            d.write(port >> 8);
            d.write(port);
            cstr(d, address);
        }
        return packet(MilterProtocol.CMD_CONNECT, d.toByteArray());
    }

    public MilterFrames helo(String name) {
        return strings(MilterProtocol.CMD_HELO, name);
    }

    public MilterFrames mail(String... addressAndArgs) {
        return strings(MilterProtocol.CMD_MAIL, addressAndArgs);
    }

    public MilterFrames rcpt(String... addressAndArgs) {
        return strings(MilterProtocol.CMD_RCPT, addressAndArgs);
    }

    public MilterFrames data() {
        return packet(MilterProtocol.CMD_DATA, new byte[0]);
    }

    public MilterFrames header(String name, String value) {
        return strings(MilterProtocol.CMD_HEADER, name, value);
    }

    public MilterFrames eoh() {
        return packet(MilterProtocol.CMD_EOH, new byte[0]);
    }

    public MilterFrames body(String chunk) {
        return packet(MilterProtocol.CMD_BODY, chunk.getBytes(StandardCharsets.ISO_8859_1));
    }

    public MilterFrames eob() {
        return packet(MilterProtocol.CMD_BODYEOB, new byte[0]);
    }

    public MilterFrames abort() {
        return packet(MilterProtocol.CMD_ABORT, new byte[0]);
    }

    public MilterFrames quit() {
        return packet(MilterProtocol.CMD_QUIT, new byte[0]);
    }

    public MilterFrames quitNc() {
        return packet(MilterProtocol.CMD_QUIT_NC, new byte[0]);
    }

    /** A whole message as Postfix sends it after negotiation (connect, helo, envelope, headers, body, end). */
    public MilterFrames postfixMessage(String queueId, String from, String rcpt, String[][] headers, String body) {
        macro('M', "i", queueId, "{mail_addr}", from, "{client_addr}", "192.0.2.10");
        mail("<" + from + ">", "SIZE=100");
        macro('R', "{rcpt_addr}", rcpt);
        rcpt("<" + rcpt + ">");
        data();
        for (String[] h : headers) {
            header(h[0], h[1]);
        }
        eoh();
        body(body);
        return eob();
    }

    private MilterFrames strings(byte command, String... strings) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        for (String s : strings) {
            cstr(d, s);
        }
        return packet(command, d.toByteArray());
    }

    private static void cstr(ByteArrayOutputStream d, String s) {
        d.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        d.write(0);
    }
}
