package org.mailsift.scanner.bayes;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The token set of one message.
 *
 * @param tokens  distinct token hashes, sorted (words, word pairs and metatokens)
 * @param content distinct hashes of the words and pairs of the body and subject only, sorted: what the learned
 *                cache identifies a message by, so the same text resent to another recipient or with another
 *                Message-ID is the same message
 */
public record MessageTokens(long[] tokens, long[] content) {

    public int size() {
        return tokens.length;
    }

    /**
     * The learned-cache key: SHA-256 over the sorted content tokens (all tokens when the message has no text),
     * base32, 32 characters (as Rspamd's 32-char signature). The same content resent with another Message-ID or to
     * another recipient gets the same digest.
     */
    public String digest() {
        long[] basis = content.length > 0 ? content : tokens;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8 * basis.length);
            for (long t : basis) {
                b.putLong(t);
            }
            return base32(md.digest(b.array())).substring(0, 32).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] data) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return sb.toString();
    }
}
