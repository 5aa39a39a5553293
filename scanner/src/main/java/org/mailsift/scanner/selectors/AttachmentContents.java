package org.mailsift.scanner.selectors;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The decoded contents of a message's attachments, for the {@code attachments} extractor's digests. Read only when a
 * selector asks, bounded in depth, count and size; a part that cannot be decoded is left out.
 */
final class AttachmentContents {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final int MAX_DEPTH = 20;
    private static final int MAX_PARTS = 200;
    private static final int MAX_BYTES = 32 * 1024 * 1024;

    private AttachmentContents() {
    }

    static List<byte[]> of(org.mailsift.core.message.ParsedMessage message) {
        List<byte[]> out = new ArrayList<>();
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(message.raw()));
            walk(m, 0, out);
        } catch (MessagingException | IOException | RuntimeException e) {
            // a message jakarta.mail cannot read has no attachments for selectors
        }
        return out;
    }

    private static void walk(Part part, int depth, List<byte[]> out) throws MessagingException, IOException {
        if (depth > MAX_DEPTH || out.size() >= MAX_PARTS) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount() && out.size() < MAX_PARTS; i++) {
                    walk(mp.getBodyPart(i), depth + 1, out);
                }
            }
            return;
        }
        if (depth == 0) {
            return;
        }
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null
                || !(part.isMimeType("text/*") || part.isMimeType("message/*"));
        if (attachment) {
            try (InputStream in = part.getInputStream()) {
                out.add(in.readNBytes(MAX_BYTES));
            } catch (IOException | MessagingException e) {
                // undecodable part: left out
            }
        }
    }
}
