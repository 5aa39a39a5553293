package org.mailsift.controller.security;

import java.util.Optional;

/**
 * A configured controller password: a {@link PasswordHash} string, or plaintext (accepted with a warning at startup).
 * Successful hash checks are cached per candidate so a busy learn script does not pay 0.3 s of PBKDF2 per request.
 */
public final class Secret {
    private final String configured;
    private final PasswordHash hash;
    private volatile String lastAccepted;

    private Secret(String configured, PasswordHash hash) {
        this.configured = configured;
        this.hash = hash;
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

    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        if (hash == null) {
            return PasswordHash.plainEquals(candidate, configured);
        }
        String cached = lastAccepted;
        if (cached != null && PasswordHash.plainEquals(candidate, cached)) {
            return true;
        }
        boolean ok = hash.matches(candidate);
        if (ok) {
            lastAccepted = candidate;
        }
        return ok;
    }
}
