package org.mailsift.controller.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

/** The last N scans for /history, whoever asked for them (milter, HTTP, CLI). */
public final class ScanHistory implements ScanListener {
    /**
     * One scan.
     *
     * @param unixTimeMillis when it finished
     * @param source         milter, http, cli, deliver
     * @param messageId      Message-ID
     * @param ip             client IP or null
     * @param from           SMTP MAIL FROM or null
     * @param rcpt           SMTP recipients
     * @param user           authenticated user or null
     * @param subject        the message's Subject header (unfolded, undecoded), or ""
     * @param size           message size in bytes
     * @param scanTimeSeconds scan time
     */
    public record Row(long unixTimeMillis, String source, String messageId, String ip, String from, List<String> rcpt,
                      String user, String subject, int size, Action action, double score, double requiredScore,
                      List<SymbolResult> symbols, double scanTimeSeconds) {
    }

    private final int capacity;
    private final Deque<Row> rows = new ArrayDeque<>();

    public ScanHistory(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    @Override
    public void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result) {
        Envelope e = envelope == null ? Envelope.EMPTY : envelope;
        Row row = new Row(System.currentTimeMillis(), source.name().toLowerCase(), result.messageId(), e.clientIp(),
                e.mailFrom(), e.rcptTo(), e.authUser(), subjectOf(rawMessage), rawMessage == null ? 0 : rawMessage.length,
                result.action() == null ? Action.NO_ACTION : result.action(), result.score(), result.requiredScore(),
                result.symbols(), result.scanTimeSeconds());
        synchronized (rows) {
            rows.addFirst(row);
            while (rows.size() > capacity) {
                rows.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<Row> rows() {
        synchronized (rows) {
            return new ArrayList<>(rows);
        }
    }

    public int clear() {
        synchronized (rows) {
            int n = rows.size();
            rows.clear();
            return n;
        }
    }

    /** The first Subject header of the header block, unfolded; bytes are read as UTF-8 (RFC 6532 allows it). */
    static String subjectOf(byte[] raw) {
        if (raw == null) {
            return "";
        }
        int limit = Math.min(raw.length, 256 * 1024);
        int lineStart = 0;
        while (lineStart < limit) {
            int end = lineEnd(raw, lineStart, limit);
            if (end == lineStart) {
                return "";  // empty line: end of headers
            }
            if (end - lineStart > 8 && startsWithIgnoreCase(raw, lineStart, "subject:")) {
                StringBuilder value = new StringBuilder(new String(raw, lineStart + 8, end - lineStart - 8, StandardCharsets.UTF_8).trim());
                int next = skipEol(raw, end, limit);
                while (next < limit && (raw[next] == ' ' || raw[next] == '\t')) {
                    int e2 = lineEnd(raw, next, limit);
                    value.append(' ').append(new String(raw, next, e2 - next, StandardCharsets.UTF_8).trim());
                    next = skipEol(raw, e2, limit);
                }
                return value.toString();
            }
            lineStart = skipEol(raw, end, limit);
        }
        return "";
    }

    private static int lineEnd(byte[] raw, int from, int limit) {
        int i = from;
        while (i < limit && raw[i] != '\n' && raw[i] != '\r') {
            i++;
        }
        return i;
    }

    private static int skipEol(byte[] raw, int at, int limit) {
        if (at < limit && raw[at] == '\r') {
            at++;
        }
        if (at < limit && raw[at] == '\n') {
            at++;
        }
        return at;
    }

    private static boolean startsWithIgnoreCase(byte[] raw, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) raw[at + i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
