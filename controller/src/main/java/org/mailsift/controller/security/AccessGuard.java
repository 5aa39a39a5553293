package org.mailsift.controller.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use which controller command. Reads follow Rspamd (controller.c rspamd_controller_check_password):
 * unix-socket peers and {@code secure_ip} addresses read without a password unless the request says it was forwarded;
 * otherwise {@code password} admits reads, and with no read password and no secure_ip list reads are open. Writes
 * (learn, save, reset, reload) differ from Rspamd on purpose: they need {@code enable_password} (or {@code password}
 * when it is the only one) from every peer, unless the site opts out with {@code secure_ip_writes} ("learn": trusted
 * peers may learn; "all": trusted peers may change everything, Rspamd's behaviour). The password is checked before
 * the failure throttle, so the right one is admitted however many wrong ones came before it; the well-known
 * defaults q1/q2 are always refused. Because every candidate is checked, the PBKDF2 checks share
 * {@link PasswordCheckSlots}: with none free the request is answered BUSY (503), not queued behind a flood.
 */
public final class AccessGuard {
    /**
     * NONE: anyone. READ: statistics, history, scans. OPERATE: asks the daemon to act on what the admin already wrote
     * (/reload re-reads the configuration files) and changes nothing from the request: trusted peers as for reads,
     * others the enable password. LEARN: /learnspam, /learnham. ENABLE: every other write.
     */
    public enum Level { NONE, READ, OPERATE, LEARN, ENABLE }

    /** What secure_ip and unix-socket peers may change without the enable password. */
    public enum TrustedWrites { NONE, LEARN, ALL }

    public enum Decision { ALLOW, DENY, THROTTLED, BUSY }

    private final Optional<Secret> password;
    private final Optional<Secret> enablePassword;
    private final List<Cidr> secureIps;
    private final FailureThrottle throttle;
    private final TrustedWrites trustedWrites;
    private final PasswordCheckSlots checkSlots;
    /** PBKDF2 checks running now, by candidate (hashed): a second request with the same candidate waits for that one. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> checking = new ConcurrentHashMap<>();

    public AccessGuard(Optional<Secret> password, Optional<Secret> enablePassword, List<Cidr> secureIps, FailureThrottle throttle) {
        this(password, enablePassword, secureIps, throttle, TrustedWrites.NONE);
    }

    public AccessGuard(Optional<Secret> password, Optional<Secret> enablePassword, List<Cidr> secureIps, FailureThrottle throttle,
                       TrustedWrites trustedWrites) {
        this(password, enablePassword, secureIps, throttle, trustedWrites, PasswordCheckSlots.SHARED);
    }

    public AccessGuard(Optional<Secret> password, Optional<Secret> enablePassword, List<Cidr> secureIps, FailureThrottle throttle,
                       TrustedWrites trustedWrites, PasswordCheckSlots checkSlots) {
        this.password = password;
        this.enablePassword = enablePassword;
        this.secureIps = List.copyOf(secureIps);
        this.throttle = throttle;
        this.trustedWrites = trustedWrites;
        this.checkSlots = checkSlots;
    }

    /** A PBKDF2 check found no free slot: the request is refused without a verdict on its password. */
    private static final class NoCheckSlot extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoCheckSlot() {
            super(null, null, false, false);
        }
    }

    /**
     * @param peer      client address, or null for a unix-socket peer
     * @param forwarded true when the peer must not be trusted for who it is: the request carries Forwarded /
     *                  X-Forwarded-For (a proxy in front), or came from a browser under a name we cannot vouch for
     * @param candidate the Password header (or ?password=), or null
     */
    public Decision check(Level level, InetAddress peer, boolean forwarded, String candidate) {
        if (level == Level.NONE) {
            return Decision.ALLOW;
        }
        if (trusted(peer, forwarded) && trustAdmits(level)) {
            return Decision.ALLOW;
        }
        try {
            if (candidate == null ? openWithoutPassword(level) : passwordAdmits(level, candidate)) {
                return Decision.ALLOW; // checked before the throttle: the right password always gets in
            }
        } catch (NoCheckSlot busy) {
            return Decision.BUSY; // neither a failure nor a success: the client may try again in a moment
        }
        String client = peer == null ? "unix" : peer.getHostAddress();
        if (throttle.isThrottled(client)) {
            return Decision.THROTTLED;
        }
        if (candidate != null) { // no password is no guess: the WebUI asks without one first, as Rspamd's does
            throttle.failed(client);
        }
        return Decision.DENY;
    }

    /**
     * Whether this request would be admitted to privileged commands, without counting a failure (the WebUI's
     * /auth tells a read-only login from an enable one, as Rspamd's read_only does).
     */
    public boolean admitsEnable(InetAddress peer, boolean forwarded, String candidate) {
        if (trusted(peer, forwarded) && trustAdmits(Level.ENABLE)) {
            return true;
        }
        try {
            return candidate != null && passwordAdmits(Level.ENABLE, candidate);
        } catch (NoCheckSlot busy) {
            return false;
        }
    }

    /** Seconds a throttled client must wait (Retry-After). */
    public long retryAfterSeconds(InetAddress peer) {
        return throttle.secondsUntilAllowed(peer == null ? "unix" : peer.getHostAddress());
    }

    private boolean trusted(InetAddress peer, boolean forwarded) {
        return !forwarded && (peer == null || isSecure(peer));
    }

    private boolean trustAdmits(Level level) {
        return switch (level) {
            case NONE, READ, OPERATE -> true;
            case LEARN -> trustedWrites != TrustedWrites.NONE;
            case ENABLE -> trustedWrites == TrustedWrites.ALL;
        };
    }

    /** Reads with no read password and no secure_ip list are open, as in Rspamd; a write never is. */
    private boolean openWithoutPassword(Level level) {
        return level == Level.READ && password.isEmpty() && secureIps.isEmpty();
    }

    private boolean passwordAdmits(Level level, String candidate) {
        if (openWithoutPassword(level)) {
            return true;
        }
        if (candidate.equalsIgnoreCase("q1") || candidate.equalsIgnoreCase("q2")) {
            return false;
        }
        List<Secret> admitting = level == Level.READ
                ? java.util.stream.Stream.of(password, enablePassword).flatMap(Optional::stream).toList()
                : enablePassword.or(() -> password).stream().toList();
        // a recently verified candidate first, so a read with the enable password does not pay PBKDF2 for the read one
        for (Secret s : admitting) {
            if (s.matchesRecentlyVerified(candidate)) {
                return true;
            }
        }
        if (admitting.stream().noneMatch(Secret::isHashed)) {
            return admitting.stream().anyMatch(s -> s.matches(candidate)); // plaintext: no PBKDF2, no slot
        }
        // the same candidate already being checked (a learn script's burst after a restart, or one guess repeated by a
        // flood): share that check's answer instead of taking another slot
        String key = (level == Level.READ ? "r:" : "w:") + Secret.digest(candidate);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = checking.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof NoCheckSlot busy ? busy : e;
            }
        }
        try {
            boolean ok = slowCheck(admitting, candidate);
            mine.complete(ok);
            return ok;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            checking.remove(key, mine);
        }
    }

    private boolean slowCheck(List<Secret> admitting, String candidate) {
        if (!checkSlots.tryAcquire()) {
            throw new NoCheckSlot();
        }
        try {
            for (Secret s : admitting) {
                if (s.matches(candidate)) {
                    return true;
                }
            }
            return false;
        } finally {
            checkSlots.release();
        }
    }

    public boolean isSecure(InetAddress peer) {
        for (Cidr c : secureIps) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
