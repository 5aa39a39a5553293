package org.mailsift.scanner.rbl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.mailsift.scanner.selectors.Digests;

/**
 * The label a hashed list is asked, as Rspamd's rbl computes it: the digest of the name ({@code hash}: blake2 is
 * unkeyed BLAKE2b-512, or sha1 / sha256 / sha384 / sha512 / md5), written in {@code hash_format} (hex, Rspamd's
 * z-base32, base64) and cut to {@code hash_len} characters.
 */
final class ListHash {
    private ListHash() {
    }

    /**
     * Labels already computed, by list parameters and name: the same addresses come back message after message (the
     * DNS cache holds their answers for the same reason), and BLAKE2b or SHA per address and list cost more than the
     * cached lookup. Bounded: cleared when full.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> MEMO = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MEMO_LIMIT = 20_000;

    static String of(String name, String hash, String format, int length) {
        String key = hash + ' ' + format + ' ' + length + ' ' + name;
        String known = MEMO.get(key);
        if (known != null) {
            return known;
        }
        String label = compute(name, hash, format, length);
        if (MEMO.size() >= MEMO_LIMIT) {
            MEMO.clear();
        }
        MEMO.put(key, label);
        return label;
    }

    private static String compute(String name, String hash, String format, int length) {
        byte[] digest = digest(name.getBytes(StandardCharsets.UTF_8), hash);
        String text = switch (format) {
            case "base32" -> Digests.zbase32(digest);
            case "base64" -> Base64.getEncoder().encodeToString(digest);
            default -> HexFormat.of().formatHex(digest);
        };
        return length > 0 && length < text.length() ? text.substring(0, length) : text;
    }

    private static byte[] digest(byte[] data, String hash) {
        if (hash.equals("blake2")) {
            Blake2bDigest d = new Blake2bDigest(null, 64, null, null);
            d.update(data, 0, data.length);
            byte[] out = new byte[64];
            d.doFinal(out, 0);
            return out;
        }
        String jca = switch (hash) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> "MD5";
        };
        return fresh(jca).digest(data);
    }

    /** One digest of each algorithm, cloned for each use: MessageDigest.getInstance searches the providers each time. */
    private static final java.util.concurrent.ConcurrentHashMap<String, MessageDigest> PROTOTYPES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static MessageDigest fresh(String jca) {
        try {
            MessageDigest prototype = PROTOTYPES.get(jca);
            if (prototype == null) {
                prototype = MessageDigest.getInstance(jca);
                PROTOTYPES.putIfAbsent(jca, prototype);
            }
            try {
                return (MessageDigest) prototype.clone();
            } catch (CloneNotSupportedException e) {
                return MessageDigest.getInstance(jca);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " is part of every JDK", e);
        }
    }
}
