package org.mailsift.scanner.bayes;

/**
 * 64-bit token hashes: FNV-1a over the UTF-16 code units, finished with MurmurHash3's fmix64 so that short words
 * spread over all 64 bits. Hand-written (a dozen lines) instead of pulling a hashing library: collisions among a few
 * million tokens are ~1e-7 likely at 64 bits, and the value never leaves mailsift's own stores.
 */
public final class TokenHash {
    private static final long FNV_PRIME = 0x100000001b3L;

    private TokenHash() {
    }

    /** Hash of {@code s} in the token space {@code seed} (subject, body, metatokens never collide). */
    public static long of(long seed, CharSequence s) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** Hash of {@code s[from, to)}. */
    public static long of(long seed, char[] s, int from, int to) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = from; i < to; i++) {
            h ^= s[i];
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** An OSB feature: the current word, a previous word and their distance, as one token. */
    public static long pair(long current, long previous, int distance) {
        return mix(current * 0x9E3779B97F4A7C15L + Long.rotateLeft(previous, 17 + distance) + distance * 0xC2B2AE3D27D4EB4FL);
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = z ^ (z >>> 33);
        return z == 0 ? 1 : z;
    }

    /** A seed for a token space name ("subject", "body", "meta"). */
    public static long seed(String space) {
        return of(0x6d61696c73696674L, space);
    }
}
