package org.mailsift.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

/**
 * A small rule-based scanner standing in for the engine (which milter may not depend on): GTUBE rejects, marker words
 * pick the other actions, and every result carries the header edits the engine produces (remove spoofed X-Spam* headers,
 * add X-Spamd-Result). It records what it was given so tests can check the bytes and the envelope.
 */
public final class TestScanner implements MessageScanner {
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    public static final String ADD_HEADER_MARKER = "MARKER-ADD-HEADER";
    public static final String REWRITE_MARKER = "MARKER-REWRITE-SUBJECT";
    public static final String SOFT_REJECT_MARKER = "MARKER-SOFT-REJECT";
    public static final String SLOW_MARKER = "MARKER-SLOW";
    public static final String FAIL_MARKER = "MARKER-FAIL";

    private static final Pattern SUBJECT = Pattern.compile("(?im)^Subject: ?(.*)$");

    public final List<byte[]> messages = new CopyOnWriteArrayList<>();
    public final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    /** Counted down when a scan of a SLOW_MARKER message begins (tests wait for it instead of sleeping). */
    public final java.util.concurrent.CountDownLatch slowScanStarted = new java.util.concurrent.CountDownLatch(1);
    private final String gtubeSmtpMessage;

    /** @param gtubeSmtpMessage SMTP text GTUBE forces (Rspamd: "Gtube pattern"), or null to use reject_message */
    public TestScanner(String gtubeSmtpMessage) {
        this.gtubeSmtpMessage = gtubeSmtpMessage;
    }

    @Override
    public ScanResult scan(byte[] raw, Envelope envelope) {
        messages.add(raw);
        envelopes.add(envelope);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (text.contains(FAIL_MARKER)) {
            throw new IllegalStateException("scanner broke on purpose");
        }
        if (text.contains(SLOW_MARKER)) {
            slowScanStarted.countDown();
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Action action = Action.NO_ACTION;
        String symbol = "CLEAN";
        double score = 0.5;
        String smtp = null;
        String subject = null;
        if (text.contains(GTUBE)) {
            action = Action.REJECT;
            symbol = "GTUBE";
            score = 0;
            smtp = gtubeSmtpMessage;
        } else if (text.contains(ADD_HEADER_MARKER)) {
            action = Action.ADD_HEADER;
            symbol = "TEST_ADD_HEADER";
            score = 7;
        } else if (text.contains(REWRITE_MARKER)) {
            action = Action.REWRITE_SUBJECT;
            symbol = "TEST_REWRITE";
            score = 8;
            Matcher m = SUBJECT.matcher(text);
            subject = "*** SPAM *** " + (m.find() ? m.group(1).strip() : "");
        } else if (text.contains(SOFT_REJECT_MARKER)) {
            action = Action.SOFT_REJECT;
            symbol = "TEST_SOFT";
            score = 0;
            smtp = "Try again later";
        }
        List<HeaderChange> changes = new ArrayList<>();
        for (String spoofable : List.of("X-Spamd-Result", "X-Spam-Status", "X-Spam")) {
            changes.add(HeaderChange.removeAll(spoofable));
        }
        String result = String.format(java.util.Locale.ROOT, "default: %s [%.2f / 15.00];\r\n\t%s(%.2f)",
                action == Action.REJECT ? "True" : "False", score, symbol, score);
        changes.add(HeaderChange.add("X-Spamd-Result", result));
        // the engine's list ends with the spam header and the Subject; the milter only translates it
        if (action.isSpam()) {
            changes.add(HeaderChange.add("X-Spam", "Yes"));
        }
        if (subject != null) {
            changes.add(HeaderChange.set("Subject", subject));
        }
        return new ScanResult(score, 15, action, Map.of("reject", 15.0, "add header", 6.0),
                List.of(new SymbolResult(symbol, score, score, "test", List.of())), "undef", subject, smtp, changes, 0.001, null);
    }
}
