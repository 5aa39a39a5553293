package org.mailsift.controller.security;

import java.util.Optional;

/**
 * A configured controller password: a {@link PasswordHash} string, or plaintext (accepted with a warning at startup).
 * A candidate that verified against the hash is remembered briefly (as a SHA-256 of it, never the text), so a busy
 * learn script or the web interface does not pay 0.1-0.3 s of PBKDF2 per request; a wrong candidate is never cached.
 */
public final class Secret {
    /** How long a verified candidate is taken without PBKDF2. */
    static final long REMEMBER_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    private static final int REMEMBERED = 8;

    private final String configured;
    private final PasswordHash hash;
    private final java.util.function.LongSupplier nanoClock;
    /** SHA-256 of recently verified candidates -> when they were verified. */
    private final java.util.Map<String, Long> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private Secret(String configured, PasswordHash hash, java.util.function.LongSupplier nanoClock) {
        this.configured = configured;
        this.hash = hash;
        this.nanoClock = nanoClock;
    }

    private Secret(String configured, PasswordHash hash) {
        this(configured, hash, System::nanoTime);
    }

    /** For tests: the same secret on another clock. */
    Secret withClock(java.util.function.LongSupplier clock) {
        return new Secret(configured, hash, clock);
    }

    /** Null or empty configuration means "no password". Text that starts like a hash but does not parse is refused. */
    public static Optional<Secret> of(String configured) {
        if (configured == null || configured.isEmpty()) {
            return Optional.empty();
        }
        if (configured.matches("\\$[12]\\$[^$]+\\$.+")) {
            // rspamadm pw output (PBKDF2-BLAKE2 / catena): not verifiable here, and never to be taken as plaintext
            throw new IllegalArgumentException("this is an `rspamadm pw` hash, which mailsift cannot verify; "
                    + "make a new one with `mailsift pw`");
        }
        if (PasswordHash.looksHashed(configured)) {
            PasswordHash h = PasswordHash.parse(configured)
                    .orElseThrow(() -> new IllegalArgumentException("malformed password hash (expected "
                            + PasswordHash.PREFIX + "i=N$salt$hash, as printed by `mailsift pw`)"));
            return Optional.of(new Secret(configured, h));
        }
        return Optional.of(new Secret(configured, null));
    }

    public boolean isHashed() {
        return hash != null;
    }

    /** True when {@code candidate} is the secret; a hash is checked with PBKDF2 unless it verified a moment ago. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        if (hash == null) {
            return PasswordHash.plainEquals(candidate, configured);
        }
        if (matchesRecentlyVerified(candidate)) {
            return true;
        }
        boolean ok = hash.matches(candidate);
        if (ok) {
            if (verified.size() >= REMEMBERED) {
                verified.clear();
            }
            verified.put(digest(candidate), nanoClock.getAsLong());
        }
        return ok;
    }

    /** The cheap check: plaintext, or a candidate whose hash check succeeded within the last few minutes. */
    public boolean matchesRecentlyVerified(String candidate) {
        if (candidate == null) {
            return false;
        }
        if (hash == null) {
            return PasswordHash.plainEquals(candidate, configured);
        }
        String key = digest(candidate);
        Long at = verified.get(key);
        if (at == null) {
            return false;
        }
        if (nanoClock.getAsLong() - at > REMEMBER_NANOS) {
            verified.remove(key, at);
            return false;
        }
        return true;
    }

    /** SHA-256 of a candidate, hex: how candidates are remembered and compared without keeping the text. */
    static String digest(String candidate) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
