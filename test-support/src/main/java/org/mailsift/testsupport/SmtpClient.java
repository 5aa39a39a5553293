package org.mailsift.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A plain-socket SMTP client for tests: one session, several messages, and the server's reply (code and text) for
 * each step so tests can assert on what the MTA said.
 */
public final class SmtpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A server reply: code and the text of its last line (after "NNN "). */
    public record Reply(int code, String text) {
        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private SmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects, reads the greeting and says EHLO. */
    public static SmtpClient connect(String host, int port, String helo) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(60_000);
        SmtpClient c = new SmtpClient(s);
        c.expect(c.read(), 220);
        c.expect(c.command("EHLO " + helo), 250);
        return c;
    }

    /**
     * Sends one message (MAIL, RCPT per recipient, DATA) and returns the reply to the final dot, or the first failing
     * reply before it. {@code message} is the raw message with CRLF line ends; dots are stuffed here.
     */
    public Reply send(String from, List<String> to, byte[] message) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (r.code() != 250) {
            return r;
        }
        for (String rcpt : to) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (r.code() != 250) {
                return r;
            }
        }
        r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        out.write(dotStuffed(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    public Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /** RSET, as a client does after a rejected message. */
    public Reply reset() throws IOException {
        return command("RSET");
    }

    private Reply read() throws IOException {
        while (true) {
            String line = readLine();
            if (line.length() < 3) {
                throw new IOException("bad SMTP reply line: " + line);
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), line.length() > 4 ? line.substring(4) : "");
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed by the SMTP server");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private void expect(Reply r, int code) throws IOException {
        if (r.code() != code) {
            throw new IOException("expected " + code + ", server said " + r);
        }
    }

    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte c = message[i];
            if (lineStart && c == '.') {
                b.write('.');
            }
            if (c == '\n' && (i == 0 || message[i - 1] != '\r')) {
                b.write('\r');
            }
            b.write(c);
            lineStart = c == '\n';
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed()) {
                command("QUIT");
            }
        } catch (IOException e) {
            // the server may already have gone
        } finally {
            socket.close();
        }
    }
}
