package org.mailsift.sieve.deliver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.apache.jsieve.mail.optional.ActionVacation;
import org.mailsift.sieve.engine.MailMessage;

/**
 * Decides whether a vacation action may answer (RFC 5230 section 4: never to the null sender, mailing lists,
 * bulk or automatic mail, or mail not addressed to the user) and builds the reply.
 */
final class VacationResponder {
    private VacationResponder() {
    }

    /** Why no reply is sent, or empty when one may be sent. */
    static Optional<String> refusal(MailMessage message, String sender, List<String> userAddresses) {
        if (sender == null || sender.isEmpty()) {
            return Optional.of("null sender");
        }
        String s = sender.toLowerCase(Locale.ROOT);
        String local = s.contains("@") ? s.substring(0, s.lastIndexOf('@')) : s;
        if (local.equals("mailer-daemon") || local.equals("listserv") || local.equals("majordomo") || local.startsWith("owner-")
                || local.endsWith("-request") || local.startsWith("noreply") || local.startsWith("no-reply")) {
            return Optional.of("automatic sender " + sender);
        }
        for (String h : List.of("List-Id", "List-Post", "List-Unsubscribe")) {
            if (!message.header(h).isEmpty()) {
                return Optional.of("mailing list (" + h + ")");
            }
        }
        for (String v : message.header("Auto-Submitted")) {
            if (!v.trim().toLowerCase(Locale.ROOT).startsWith("no")) {
                return Optional.of("Auto-Submitted: " + v);
            }
        }
        for (String v : message.header("Precedence")) {
            if (List.of("bulk", "list", "junk").contains(v.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of("Precedence: " + v);
            }
        }
        List<String> recipients = new ArrayList<>();
        for (String h : List.of("To", "Cc", "Bcc", "Resent-To", "Resent-Cc")) {
            message.header(h).forEach(v -> recipients.add(v.toLowerCase(Locale.ROOT)));
        }
        boolean addressed = userAddresses.stream().anyMatch(a -> recipients.stream().anyMatch(r -> r.contains(a.toLowerCase(Locale.ROOT))));
        return addressed ? Optional.empty() : Optional.of("the user is not in To/Cc");
    }

    static Duration period(ActionVacation v) {
        return Duration.ofDays(Math.max(1, v.getDuration()));
    }

    /** The handle that identifies "the same vacation message" (RFC 5230 4.2): :handle, else the reason text. */
    static String handle(ActionVacation v) {
        if (v.getHandle() != null) {
            return v.getHandle();
        }
        return String.valueOf(v.getSubject()) + "\0" + String.valueOf(v.getReason()) + "\0" + String.valueOf(v.getMime());
    }

    static byte[] reply(ActionVacation v, MailMessage original, String from, String to) {
        String subject = v.getSubject() != null ? v.getSubject()
                : "Auto: " + original.firstHeader("Subject").orElse("");
        StringBuilder sb = new StringBuilder();
        sb.append("From: ").append(v.getFrom() != null ? v.getFrom() : from).append('\n');
        sb.append("To: ").append(to).append('\n');
        sb.append("Subject: ").append(encode(subject)).append('\n');
        sb.append("Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append('\n');
        sb.append("Message-ID: <").append(UUID.randomUUID()).append(".vacation@mailsift>\n");
        original.firstHeader("Message-ID").ifPresent(id -> {
            sb.append("In-Reply-To: ").append(id.trim()).append('\n');
            sb.append("References: ").append(id.trim()).append('\n');
        });
        sb.append("Auto-Submitted: auto-replied (vacation)\n");
        sb.append("Precedence: bulk\n");
        sb.append("MIME-Version: 1.0\n");
        if (v.getMime() != null) {
            sb.append(v.getMime().replace("\r\n", "\n"));
        } else {
            sb.append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
            sb.append(v.getReason().replace("\r\n", "\n"));
            if (!v.getReason().endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7e) {
                return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return text;
    }

    static Instant now() {
        return Instant.now();
    }
}
