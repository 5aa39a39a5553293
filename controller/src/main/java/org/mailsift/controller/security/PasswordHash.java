package org.mailsift.controller.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes as printed by {@code mailsift pw}:
 * {@code $pbkdf2-sha256$i=310000$<salt base64>$<hash base64>} (base64 without padding, 16-byte salt, 32-byte hash).
 * Uses the JDK's PBKDF2 so no library is needed; comparison is constant-time.
 */
public final class PasswordHash {
    public static final String PREFIX = "$pbkdf2-sha256$";
    public static final int DEFAULT_ITERATIONS = 310_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes a passphrase with a fresh random salt. */
    public static String create(String passphrase) {
        return create(passphrase, DEFAULT_ITERATIONS);
    }

    public static String create(String passphrase, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(passphrase, salt, iterations);
        return PREFIX + "i=" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public static boolean looksHashed(String configured) {
        return configured != null && configured.startsWith(PREFIX);
    }

    /** Parses a stored hash; empty when the text is not in our format. */
    public static Optional<PasswordHash> parse(String stored) {
        if (!looksHashed(stored)) {
            return Optional.empty();
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3 || !parts[0].startsWith("i=")) {
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(parts[0].substring(2));
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] hash = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1 || salt.length == 0 || hash.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new PasswordHash(iterations, salt, hash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean matches(String candidate) {
        byte[] computed = derive(candidate, salt, iterations, hash.length * 8);
        return MessageDigest.isEqual(computed, hash);
    }

    /** Constant-time comparison of a plaintext candidate against a plaintext secret. */
    public static boolean plainEquals(String candidate, String secret) {
        return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] derive(String passphrase, byte[] salt, int iterations) {
        return derive(passphrase, salt, iterations, HASH_BITS);
    }

    /** PBKDF2 runs so far in this JVM: lets tests prove a cached candidate costs none. */
    static final java.util.concurrent.atomic.AtomicLong DERIVATIONS = new java.util.concurrent.atomic.AtomicLong();

    private static byte[] derive(String passphrase, byte[] salt, int iterations, int bits) {
        DERIVATIONS.incrementAndGet();
        PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
