package org.mailsift.milter;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An MTA stand-in over a real socket (TCP or unix): writes raw frames, reads replies as "code:data" strings. */
public final class RawMilterClient implements AutoCloseable {
    private final SocketChannel channel;

    public RawMilterClient(SocketAddress address) throws IOException {
        this(address, null);
    }

    /** @param from the local address to connect from (e.g. 127.0.0.2: another loopback peer), or null */
    public RawMilterClient(SocketAddress address, SocketAddress from) throws IOException {
        channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        if (from != null) {
            channel.bind(from);
        }
        channel.connect(address);
    }

    public RawMilterClient send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        return this;
    }

    /**
     * Reads one reply: its command byte, then the data with NULs shown as '|' and 4-byte indexes as a number, e.g.
     * "a", "y:554 5.7.1 No|", "m:1:X-Spam|Yes|", "O:6:49:1044608".
     */
    public String reply() throws IOException {
        ByteBuffer len = read(4);
        int n = len.getInt();
        ByteBuffer body = read(n);
        char code = (char) body.get();
        StringBuilder sb = new StringBuilder().append(code);
        switch (code) {
            case 'O' -> sb.append(':').append(body.getInt()).append(':').append(body.getInt()).append(':').append(body.getInt());
            case 'i', 'm' -> sb.append(':').append(body.getInt()).append(':').append(text(body));
            default -> {
                if (body.hasRemaining()) {
                    sb.append(':').append(text(body));
                }
            }
        }
        return sb.toString();
    }

    /** Reads replies until a final one (accept, continue, discard, reject, tempfail, replycode). */
    public List<String> repliesUntilFinal() throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            String r = reply();
            out.add(r);
            if ("acdrty".indexOf(r.charAt(0)) >= 0) {
                return out;
            }
        }
    }

    /** True when the server closed the connection (reads EOF). */
    public boolean closedByServer() throws IOException {
        try {
            ByteBuffer b = ByteBuffer.allocate(1);
            return channel.read(b) < 0;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String text(ByteBuffer b) {
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        return new String(rest, StandardCharsets.UTF_8).replace('\0', '|');
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("server closed the connection");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
