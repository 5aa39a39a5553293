package org.mailsift.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailsift.controller.security.AccessGuard.Decision.ALLOW;
import static org.mailsift.controller.security.AccessGuard.Decision.DENY;
import static org.mailsift.controller.security.AccessGuard.Decision.THROTTLED;
import static org.mailsift.controller.security.AccessGuard.Level.ENABLE;
import static org.mailsift.controller.security.AccessGuard.Level.LEARN;
import static org.mailsift.controller.security.AccessGuard.Level.READ;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class AccessGuardTest {
    private static final InetAddress REMOTE = addr("203.0.113.5");
    private static final InetAddress LOOPBACK = addr("127.0.0.1");

    private static InetAddress addr(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AccessGuard guard(String read, String enable, String... secure) {
        return new AccessGuard(Secret.of(read), Secret.of(enable), List.of(secure).stream().map(Cidr::parse).toList(),
                new FailureThrottle(100, 1));
    }

    @Test
    void secureIpAndUnixSocketPeersReadWithoutAPasswordButMustGiveTheEnablePasswordToWrite() {
        // the audit: a local user changed thresholds from loopback with no password at all
        AccessGuard g = guard("r", "e", "127.0.0.1", "10.0.0.0/8");

        assertThat(g.check(READ, LOOPBACK, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(READ, null, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, LOOPBACK, false, null)).isEqualTo(DENY);
        assertThat(g.check(LEARN, LOOPBACK, false, null)).isEqualTo(DENY);
        assertThat(g.check(ENABLE, addr("10.20.30.40"), false, null)).isEqualTo(DENY);
        assertThat(g.check(ENABLE, null, false, null)).isEqualTo(DENY);
        assertThat(g.check(ENABLE, LOOPBACK, false, "e")).isEqualTo(ALLOW);
        assertThat(g.check(LEARN, null, false, "e")).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, REMOTE, false, null)).isEqualTo(DENY);
    }

    @Test
    void secureIpWritesLearnLetsTrustedPeersLearnButNotChangeSettings() {
        AccessGuard g = new AccessGuard(Secret.of("r"), Secret.of("e"), List.of(Cidr.parse("127.0.0.1")), new FailureThrottle(100, 1),
                AccessGuard.TrustedWrites.LEARN);

        assertThat(g.check(LEARN, LOOPBACK, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(LEARN, null, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, LOOPBACK, false, null)).isEqualTo(DENY);
        assertThat(g.check(LEARN, LOOPBACK, true, null)).as("forwarded: the peer vouches for nobody").isEqualTo(DENY);
        assertThat(g.check(LEARN, REMOTE, false, null)).isEqualTo(DENY);
    }

    @Test
    void secureIpWritesAllIsRspamdsBehaviour() {
        AccessGuard g = new AccessGuard(Secret.of("r"), Secret.of("e"), List.of(Cidr.parse("127.0.0.1")), new FailureThrottle(100, 1),
                AccessGuard.TrustedWrites.ALL);

        assertThat(g.check(ENABLE, LOOPBACK, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, null, false, null)).isEqualTo(ALLOW);
        assertThat(g.admitsEnable(LOOPBACK, false, null)).isTrue();
        assertThat(g.check(ENABLE, REMOTE, false, null)).isEqualTo(DENY);
    }

    @Test
    void theRightPasswordIsAdmittedAfterTenFailures() {
        // the audit: the throttle refused the right password after 10 wrong ones
        AccessGuard g = new AccessGuard(Secret.of("r"), Secret.of("e"), List.of(), new FailureThrottle(10, 0.5));
        for (int i = 0; i < 30; i++) {
            assertThat(g.check(ENABLE, REMOTE, false, "guess" + i)).isIn(DENY, THROTTLED);
        }
        assertThat(g.check(ENABLE, REMOTE, false, "wrong")).isEqualTo(THROTTLED);
        assertThat(g.check(ENABLE, REMOTE, false, "e")).isEqualTo(ALLOW);
        assertThat(g.check(READ, REMOTE, false, "r")).isEqualTo(ALLOW);
    }

    @Test
    void aVerifiedHashIsRememberedBrieflySoReadsWithTheEnablePasswordCostOnePbkdf2() {
        AccessGuard g = new AccessGuard(Secret.of(PasswordHash.create("read-pw", 1000)), Secret.of(PasswordHash.create("enable-pw", 1000)),
                List.of(), new FailureThrottle(10, 0.5));
        assertThat(g.check(READ, REMOTE, false, "enable-pw")).isEqualTo(ALLOW);
        long before = PasswordHash.DERIVATIONS.get();
        for (int i = 0; i < 20; i++) {
            assertThat(g.check(READ, REMOTE, false, "enable-pw")).isEqualTo(ALLOW);
            assertThat(g.check(ENABLE, REMOTE, false, "enable-pw")).isEqualTo(ALLOW);
        }
        assertThat(PasswordHash.DERIVATIONS.get() - before).as("PBKDF2 runs for 40 requests with a verified password").isZero();
    }

    @Test
    void aRememberedCandidateExpires() {
        AtomicLong clock = new AtomicLong();
        Secret s = Secret.of(PasswordHash.create("pw", 1000)).orElseThrow().withClock(clock::get);
        assertThat(s.matchesRecentlyVerified("pw")).isFalse();
        assertThat(s.matches("pw")).isTrue();
        assertThat(s.matchesRecentlyVerified("pw")).isTrue();
        assertThat(s.matchesRecentlyVerified("other")).isFalse();
        clock.addAndGet(Secret.REMEMBER_NANOS + 1);
        assertThat(s.matchesRecentlyVerified("pw")).isFalse();
        assertThat(s.matches("pw")).isTrue();
    }

    @Test
    void readPasswordReadsButDoesNotLearn() {
        AccessGuard g = guard("r", "e");

        assertThat(g.check(READ, REMOTE, false, "r")).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, REMOTE, false, "r")).isEqualTo(DENY);
        assertThat(g.check(ENABLE, REMOTE, false, "e")).isEqualTo(ALLOW);
        assertThat(g.check(READ, REMOTE, false, "e")).isEqualTo(ALLOW);
    }

    @Test
    void aLonePasswordIsAlsoTheEnablePassword() {
        AccessGuard g = guard("only", null);

        assertThat(g.check(ENABLE, REMOTE, false, "only")).isEqualTo(ALLOW);
    }

    @Test
    void wellKnownDefaultsAreAlwaysRefused() {
        AccessGuard g = guard("q1", "q2");

        assertThat(g.check(READ, REMOTE, false, "q1")).isEqualTo(DENY);
        assertThat(g.check(ENABLE, REMOTE, false, "q2")).isEqualTo(DENY);
    }

    @Test
    void withNoPasswordsAndNoSecureIpReadsAreOpenAsInRspamdButWritesAreNot() {
        AccessGuard g = guard(null, null);

        assertThat(g.check(READ, REMOTE, false, null)).isEqualTo(ALLOW);
        assertThat(g.check(ENABLE, REMOTE, false, null)).isEqualTo(DENY);
        assertThat(g.check(LEARN, null, false, null)).isEqualTo(DENY);
    }

    @Test
    void failuresFillABucketThatDrainsOverTime() {
        AtomicLong clock = new AtomicLong();
        FailureThrottle t = new FailureThrottle(3, 1.0, clock::get);
        AccessGuard g = new AccessGuard(Secret.of("r"), Optional.empty(), List.of(), t);

        for (int i = 0; i < 3; i++) {
            assertThat(g.check(READ, REMOTE, false, "bad")).isEqualTo(DENY);
        }
        assertThat(g.check(READ, REMOTE, false, "bad")).isEqualTo(THROTTLED);
        assertThat(g.check(READ, REMOTE, false, "r")).as("the right password is checked before the throttle").isEqualTo(ALLOW);
        clock.addAndGet(2_000_000_000L);
        assertThat(g.check(READ, REMOTE, false, "bad")).isEqualTo(DENY);
    }

    @Test
    void cidrBlocksMatchByPrefixIncludingMappedIpv4() {
        assertThat(Cidr.parse("192.168.0.0/16").contains(addr("192.168.200.1"))).isTrue();
        assertThat(Cidr.parse("192.168.0.0/17").contains(addr("192.168.200.1"))).isFalse();
        assertThat(Cidr.parse("::1").contains(addr("::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(addr("fd12::5"))).isTrue();
        assertThat(Cidr.parse("127.0.0.1").contains(addr("::ffff:127.0.0.1"))).isTrue();
        assertThatThrownBy(() -> Cidr.parse("example.org")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
    }

    private static AccessGuard hashedGuard(PasswordCheckSlots slots) {
        return new AccessGuard(Optional.empty(), Secret.of(PasswordHash.create("right", 20_000)), List.of(),
                new FailureThrottle(3, 60), AccessGuard.TrustedWrites.NONE, slots);
    }

    @Test
    void whenEveryPasswordCheckSlotIsBusyAGuessIsRefusedAsBusyNotCountedAndTheRememberedPasswordStillGetsIn() {
        PasswordCheckSlots slots = new PasswordCheckSlots(1, 0);
        AccessGuard g = hashedGuard(slots);
        assertThat(g.check(ENABLE, REMOTE, false, "right")).isEqualTo(ALLOW); // verified once: remembered

        assertThat(slots.tryAcquire()).isTrue(); // a flood holds the only slot
        try {
            for (int i = 0; i < 10; i++) {
                assertThat(g.check(ENABLE, REMOTE, false, "guess" + i)).isEqualTo(AccessGuard.Decision.BUSY);
            }
            assertThat(g.check(ENABLE, REMOTE, false, "right")).as("no PBKDF2 for a remembered password").isEqualTo(ALLOW);
        } finally {
            slots.release();
        }
        assertThat(g.check(ENABLE, REMOTE, false, "guess")).as("busy refusals were not failures").isEqualTo(DENY);
    }

    @Test
    void aFloodOfWrongPasswordsNeverRunsMorePbkdf2ChecksAtOnceThanTheSlots() throws Exception {
        PasswordCheckSlots slots = new PasswordCheckSlots(2, 60_000);
        AccessGuard g = hashedGuard(slots);
        java.util.List<Thread> flood = new java.util.ArrayList<>();
        java.util.Map<AccessGuard.Decision, java.util.concurrent.atomic.AtomicInteger> answers = new java.util.concurrent.ConcurrentHashMap<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            flood.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 3; i++) {
                    answers.computeIfAbsent(g.check(ENABLE, addr("203.0.113." + n), false, "wrong" + i),
                            k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }
            }));
        }
        for (Thread t : flood) {
            t.join();
        }
        assertThat(slots.peak()).isBetween(1, 2);
        assertThat(answers.keySet()).containsOnly(DENY);
    }

    @Test
    void requestsWithTheSameCandidateShareOneCheckInsteadOfTakingSlots() throws Exception {
        PasswordCheckSlots slots = new PasswordCheckSlots(1, 0); // no waiting: a second concurrent check would be BUSY
        AccessGuard g = hashedGuard(slots);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> burst = new java.util.ArrayList<>();
        java.util.Set<AccessGuard.Decision> answers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int t = 0; t < 8; t++) {
            burst.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                answers.add(g.check(ENABLE, REMOTE, false, "right")); // a learn script's burst after a restart
            }));
        }
        go.countDown();
        for (Thread t : burst) {
            t.join();
        }
        assertThat(answers).containsOnly(ALLOW);
    }
}
