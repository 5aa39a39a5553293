package org.mailsift.scanner.selectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Rspamd's selector digests: hash {@code blake2} (the default: BLAKE2b-512 keyed with BLAKE2b("rspamd"), so values
 * equal Rspamd's), {@code sha256}, {@code sha1}, {@code sha512}, {@code md5}; encodings {@code hex} (default),
 * {@code base32} (Rspamd's z-base32 with its bit order), {@code bleach32}, {@code rbase32} (RFC 4648 without
 * padding), {@code base64}.
 */
public final class Digests {
    static final Set<String> ENCODINGS = Set.of("hex", "base32", "bleach32", "rbase32", "base64");
    static final Set<String> HASHES = Set.of("blake2", "sha256", "sha1", "sha512", "md5");
    private static final byte[] BLAKE2_KEY = blake2b(null, "rspamd".getBytes(StandardCharsets.US_ASCII));
    private static final String ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769";
    private static final String BLEACH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final String RFC32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Digests() {
    }

    /** @param args [encoding, hash], both optional */
    static String digest(byte[] data, List<String> args) {
        String hash = args.size() > 1 ? args.get(1) : "blake2";
        String encoding = args.isEmpty() ? "hex" : args.get(0);
        return encode(hash(data, hash), encoding);
    }

    static byte[] hash(byte[] data, String hash) {
        if (hash.equals("blake2")) {
            return blake2b(BLAKE2_KEY, data);
        }
        String jca = switch (hash) {
            case "sha256" -> "SHA-256";
            case "sha1" -> "SHA-1";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw new IllegalArgumentException("unknown hash " + hash);
        };
        try {
            return MessageDigest.getInstance(jca).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " is part of every JDK", e);
        }
    }

    private static byte[] blake2b(byte[] key, byte[] data) {
        Blake2bDigest d = new Blake2bDigest(key, 64, null, null);
        d.update(data, 0, data.length);
        byte[] out = new byte[64];
        d.doFinal(out, 0);
        return out;
    }

    static String encode(byte[] data, String encoding) {
        return switch (encoding) {
            case "hex" -> HexFormat.of().formatHex(data);
            case "base64" -> Base64.getEncoder().encodeToString(data);
            case "base32" -> zbase32(data);
            case "bleach32" -> base32(data, BLEACH32);
            case "rbase32" -> base32(data, RFC32);
            default -> throw new IllegalArgumentException("unknown encoding " + encoding);
        };
    }

    /** Rspamd's default base32: the z-base32 alphabet, bits taken from the least significant end of each byte. */
    public static String zbase32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int acc = 0;
        int bits = 0;
        for (byte b : data) {
            acc |= (b & 0xff) << bits;
            bits += 8;
            while (bits >= 5) {
                sb.append(ZBASE32.charAt(acc & 0x1f));
                acc >>>= 5;
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ZBASE32.charAt(acc & 0x1f));
        }
        return sb.toString();
    }

    /** Ordinary base32 (most significant bits first), no padding. */
    static String base32(byte[] data, String alphabet) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int acc = 0;
        int bits = 0;
        for (byte b : data) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((acc >>> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((acc << (5 - bits)) & 0x1f));
        }
        return sb.toString();
    }

    static String lowerAscii(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
