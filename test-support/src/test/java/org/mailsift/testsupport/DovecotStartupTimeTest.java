package org.mailsift.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DovecotStartupTimeTest {
    @Test
    void startsWithinTwoSeconds() {
        Assumptions.assumeTrue(DovecotServer.available());
        long t0 = System.nanoTime();
        try (DovecotServer s = DovecotServer.builder().user("alice", "pw").start()) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("dovecot start took " + took.toMillis() + " ms");
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            long t2 = System.nanoTime();
            try (RawImapClient c = RawImapClient.login(s, "alice", "pw")) {
                System.out.println("first login took " + (System.nanoTime() - t2) / 1_000_000 + " ms");
                t2 = System.nanoTime();
                c.ok("LIST \"\" \"*\" RETURN (SPECIAL-USE)");
                System.out.println("first LIST took " + (System.nanoTime() - t2) / 1_000_000 + " ms");
                t2 = System.nanoTime();
                c.ok("CAPABILITY");
                System.out.println("CAPA took " + (System.nanoTime() - t2) / 1_000_000 + " ms");
            }
            long t1 = System.nanoTime();
            s.restart();
            System.out.println("dovecot restart took " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
    }
}
