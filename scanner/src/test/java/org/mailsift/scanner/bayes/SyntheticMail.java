package org.mailsift.scanner.bayes;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic made-up spam and ham: each class draws from its own vocabulary plus a shared one. */
final class SyntheticMail {
    private static final String[] SPAM = {"lottery", "winner", "cash", "offer", "free", "click", "prize", "casino",
        "loan", "pills", "cheap", "bonus", "unsubscribe", "guaranteed", "investment", "millions"};
    private static final String[] HAM = {"meeting", "project", "report", "lunch", "schedule", "review", "code",
        "deploy", "agenda", "notes", "release", "budget", "draft", "patch", "tomorrow", "thanks"};
    private static final String[] SHARED = {"the", "and", "you", "this", "today", "please", "with", "your", "from", "about"};

    private SyntheticMail() {
    }

    static byte[] spam(int n) {
        return message("spam", SPAM, n, "<spam" + n + "@sender.example>");
    }

    static byte[] ham(int n) {
        return message("ham", HAM, n, "<ham" + n + "@work.example>");
    }

    /** The same body as {@link #spam(int)} under another Message-ID (a resent copy). */
    static byte[] spamResent(int n, String messageId) {
        return message("spam", SPAM, n, messageId);
    }

    static byte[] message(String kind, String[] vocabulary, int n, String messageId) {
        Random r = new Random(kind.hashCode() * 31L + n);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            body.append(r.nextInt(4) == 0 ? SHARED[r.nextInt(SHARED.length)] : vocabulary[r.nextInt(vocabulary.length)]);
            body.append(i % 12 == 11 ? "\r\n" : " ");
        }
        String subject = vocabulary[r.nextInt(vocabulary.length)] + " " + vocabulary[r.nextInt(vocabulary.length)] + " " + n;
        String headers = "From: " + kind + n + "@" + kind + ".example\r\n"
                + "To: alice@example.test\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Thu, 19 Nov 2026 10:00:00 +0000\r\n"
                + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        return (headers + body).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withoutMessageId(int n) {
        return message("ham", HAM, n, null);
    }
}
