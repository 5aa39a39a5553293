package org.mailsift.scanner.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The lookups the authentication checks make, answered by the daemon's shared resolver (see
 * {@link ResolverAuthDns}) or, in unit tests, by a map. Futures never complete exceptionally.
 */
public interface AuthDns {
    enum Status {
        /** Records of the asked type exist. */
        OK,
        /** NXDOMAIN or no record of that type (an SPF "void lookup"). */
        NONE,
        /** Timeout, SERVFAIL, no nameserver: the answer is unknown. */
        TEMPFAIL
    }

    /** @param records TXT strings concatenated per record; A/AAAA addresses; MX hosts by preference; PTR names */
    record Answer(Status status, List<String> records) {
        public Answer {
            records = List.copyOf(records);
        }

        public static final Answer NONE = new Answer(Status.NONE, List.of());
        public static final Answer TEMPFAIL = new Answer(Status.TEMPFAIL, List.of());
    }

    CompletableFuture<Answer> txt(String name);

    CompletableFuture<Answer> a(String name);

    CompletableFuture<Answer> aaaa(String name);

    CompletableFuture<Answer> mx(String name);

    CompletableFuture<Answer> ptr(String name);
}
