package org.mailsift.controller.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Rspamd's controller access rules (controller.c rspamd_controller_check_password): unix-socket peers and
 * {@code secure_ip} addresses are trusted unless the request says it was forwarded; otherwise {@code password}
 * admits read commands, {@code enable_password} (or {@code password} when it is the only one) admits privileged
 * ones; with no password configured at all and no secure_ip list, everything is open. The well-known defaults
 * q1/q2 are always refused.
 */
public final class AccessGuard {
    public enum Level { NONE, READ, ENABLE }

    public enum Decision { ALLOW, DENY, THROTTLED }

    private final Optional<Secret> password;
    private final Optional<Secret> enablePassword;
    private final List<Cidr> secureIps;
    private final FailureThrottle throttle;

    public AccessGuard(Optional<Secret> password, Optional<Secret> enablePassword, List<Cidr> secureIps, FailureThrottle throttle) {
        this.password = password;
        this.enablePassword = enablePassword;
        this.secureIps = List.copyOf(secureIps);
        this.throttle = throttle;
    }

    /**
     * @param peer      client address, or null for a unix-socket peer
     * @param forwarded true when the request carries Forwarded / X-Forwarded-For (a proxy in front: do not trust the peer)
     * @param candidate the Password header (or ?password=), or null
     */
    public Decision check(Level level, InetAddress peer, boolean forwarded, String candidate) {
        if (level == Level.NONE) {
            return Decision.ALLOW;
        }
        if (trusted(level, peer, forwarded)) {
            return Decision.ALLOW;
        }
        String client = peer == null ? "unix" : peer.getHostAddress();
        if (throttle.isThrottled(client)) {
            return Decision.THROTTLED;
        }
        boolean ok = passwordAdmits(level, candidate);
        if (!ok && candidate != null) { // no password is no guess: the WebUI asks without one first, as Rspamd's does
            throttle.failed(client);
        }
        return ok ? Decision.ALLOW : Decision.DENY;
    }

    /**
     * Whether this request would be admitted to privileged commands, without counting a failure (the WebUI's
     * /auth tells a read-only login from an enable one, as Rspamd's read_only does).
     */
    public boolean admitsEnable(InetAddress peer, boolean forwarded, String candidate) {
        return trusted(Level.ENABLE, peer, forwarded) || passwordAdmits(Level.ENABLE, candidate);
    }

    /** Admitted by address alone: unix-socket and secure_ip peers, unless the request says it was forwarded. */
    private boolean trusted(Level level, InetAddress peer, boolean forwarded) {
        return !forwarded && (peer == null || isSecure(peer));
    }

    /** Seconds a throttled client must wait (Retry-After). */
    public long retryAfterSeconds(InetAddress peer) {
        return throttle.secondsUntilAllowed(peer == null ? "unix" : peer.getHostAddress());
    }

    private boolean passwordAdmits(Level level, String candidate) {
        boolean unguarded = level == Level.READ ? password.isEmpty() : password.isEmpty() && enablePassword.isEmpty();
        if (unguarded && secureIps.isEmpty()) {
            // no secure_ip list and no secret for this level: open, as in Rspamd
            return true;
        }
        if (candidate == null) {
            return false;
        }
        if (candidate.equalsIgnoreCase("q1") || candidate.equalsIgnoreCase("q2")) {
            return false;
        }
        if (level == Level.ENABLE) {
            Optional<Secret> check = enablePassword.isPresent() ? enablePassword : password;
            return check.map(s -> s.matches(candidate)).orElse(false);
        }
        return password.map(s -> s.matches(candidate)).orElse(false)
                || enablePassword.map(s -> s.matches(candidate)).orElse(false);
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
