package org.mailsift.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain IMAP client over a raw socket, as a mail client would talk: tagged commands, untagged lines
 * collected until the tagged reply. It is the independent "user" in tests, so it shares no code with production
 * IMAP code. Literals in responses are read and inlined as text.
 */
public final class RawImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    public RawImapClient(String host, int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(15000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            String greeting = readLine();
            if (!greeting.startsWith("* OK")) {
                throw new IllegalStateException("unexpected greeting: " + greeting);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawImapClient login(DovecotServer server, String user, String password) {
        RawImapClient c = new RawImapClient(server.host(), server.imapPort());
        c.ok("LOGIN " + quote(user) + " " + quote(password));
        return c;
    }

    /** Sends a command; returns all lines including the tagged one (last). */
    public List<String> command(String command) {
        String t = "a" + (++tag);
        try {
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                lines.add(line);
                if (line.startsWith(t + " ")) {
                    return lines;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command and fails unless it answers OK. */
    public List<String> ok(String command) {
        List<String> lines = command(command);
        String last = lines.get(lines.size() - 1);
        if (!last.matches("a\\d+ OK.*")) {
            throw new IllegalStateException(command + " -> " + String.join(" | ", lines));
        }
        return lines;
    }

    public void select(String mailbox) {
        ok("SELECT " + quote(mailbox));
    }

    /** UIDs of the selected mailbox's messages whose header {@code name} contains {@code value}. */
    public List<Long> searchHeader(String name, String value) {
        List<Long> uids = new ArrayList<>();
        for (String line : ok("UID SEARCH HEADER " + quote(name) + " " + quote(value))) {
            if (line.startsWith("* SEARCH")) {
                for (String s : line.substring(8).trim().split(" ")) {
                    if (!s.isEmpty()) {
                        uids.add(Long.parseLong(s));
                    }
                }
            }
        }
        return uids;
    }

    /** UID of the one message in the selected mailbox with this Message-ID. */
    public long uidOf(String messageId) {
        List<Long> uids = searchHeader("Message-ID", messageId);
        if (uids.size() != 1) {
            throw new IllegalStateException("expected one message " + messageId + ", found " + uids);
        }
        return uids.get(0);
    }

    /** RFC 6851 MOVE of one message (by Message-ID) from the selected mailbox. */
    public void move(String messageId, String to) {
        ok("UID MOVE " + uidOf(messageId) + " " + quote(to));
    }

    /** Outlook-style move: COPY, STORE \Deleted, EXPUNGE. */
    public void copyDeleteExpunge(String messageId, String to) {
        long uid = uidOf(messageId);
        ok("UID COPY " + uid + " " + quote(to));
        ok("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
        ok("EXPUNGE");
    }

    /** APPENDs a message; returns the APPENDUID uid when the server reports it, else -1. */
    public long append(String mailbox, byte[] message) {
        return append(mailbox, message, null, null);
    }

    /**
     * APPENDs a message with flags (e.g. {@code "\\Seen $Junk"}, or null) and an internal date (null: now), as a mail
     * client or a migration tool files old mail.
     */
    public long append(String mailbox, byte[] message, String flags, java.time.ZonedDateTime internalDate) {
        String t = "a" + (++tag);
        String options = (flags == null ? "" : " (" + flags + ")") + (internalDate == null ? "" : " \""
                + java.time.format.DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", java.util.Locale.ROOT).format(internalDate) + "\"");
        try {
            out.write((t + " APPEND " + quote(mailbox) + options + " {" + message.length + "}\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String cont = readLine();
            if (!cont.startsWith("+")) {
                throw new IllegalStateException("APPEND refused: " + cont);
            }
            out.write(message);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                String line = readLine();
                if (line.startsWith(t + " ")) {
                    if (!line.startsWith(t + " OK")) {
                        throw new IllegalStateException("APPEND failed: " + line);
                    }
                    Matcher m = Pattern.compile("APPENDUID \\d+ (\\d+)").matcher(line);
                    return m.find() ? Long.parseLong(m.group(1)) : -1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Message-count of a mailbox via STATUS. */
    public int messages(String mailbox) {
        for (String line : ok("STATUS " + quote(mailbox) + " (MESSAGES)")) {
            Matcher m = Pattern.compile("MESSAGES (\\d+)").matcher(line);
            if (line.startsWith("* STATUS") && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalStateException("no STATUS for " + mailbox);
    }

    public void logout() {
        try {
            command("LOGOUT");
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static long firstUid(List<String> lines) {
        for (String l : lines) {
            Matcher m = UID.matcher(l);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String part = readRawLine();
            sb.append(part);
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                return sb.toString();
            }
            byte[] literal = in.readNBytes(Integer.parseInt(m.group(1)));
            sb.append(new String(literal, StandardCharsets.UTF_8));
        }
    }

    private String readRawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed by server");
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
