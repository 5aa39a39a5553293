package org.mailsift.imapwatcher;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What makes "the same message" in two folders: its Message-ID, its size and a digest of its bytes. IMAP moves
 * (MOVE, COPY, Dovecot's hard links) keep the bytes, so size and digest match exactly; two different messages sharing
 * a Message-ID (resent, mailing-list copies) do not. The digest may be unknown (null) for messages recorded from
 * headers only (e.g. the Junk folder's contents at first start); then Message-ID and size must match.
 *
 * @param messageId the Message-ID header, or null
 * @param size      RFC822.SIZE
 * @param digest    hex SHA-256 of the raw message (first 16 bytes), or null when not fetched
 */
public record MessageIdentity(String messageId, long size, String digest) {
    /** A message recorded without being read (the server would not give it): matches no real message. */
    public static final MessageIdentity UNKNOWN = new MessageIdentity(null, -1, null);

    public static MessageIdentity of(String messageId, byte[] raw) {
        return new MessageIdentity(normalizeId(messageId), raw.length, digest(raw));
    }

    public boolean sameMessage(MessageIdentity other) {
        return size >= 0 && Objects.equals(messageId, other.messageId) && size == other.size
                && (digest == null || other.digest == null || digest.equals(other.digest));
    }

    /** Single-line form for the state file: size, digest ("-" when unknown), Message-ID ("" when none). */
    public String serialize() {
        return size + " " + (digest == null ? "-" : digest) + " " + (messageId == null ? "" : messageId);
    }

    public static MessageIdentity parse(String s) {
        String[] p = s.split(" ", 3);
        String id = p.length < 3 || p[2].isEmpty() ? null : p[2];
        return new MessageIdentity(id, Long.parseLong(p[0]), "-".equals(p[1]) ? null : p[1]);
    }

    static String digest(byte[] raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** The Message-ID as recorded: null when blank, else trimmed with folding and other whitespace runs as one space. */
    public static String normalizeId(String s) {
        // one line in the state file: fold any whitespace run (folded headers, tabs) into one space
        return s == null || s.isBlank() ? null : s.trim().replaceAll("\\s+", " ");
    }
}
