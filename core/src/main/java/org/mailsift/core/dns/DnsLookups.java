package org.mailsift.core.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One message's DNS work: the resolver plus the message's deadline. Every lookup made through it completes by the
 * deadline, so all of a message's checks together can never hold a scan (and the milter) longer than the budget.
 * Checks start all their lookups first and wait afterwards, so the queries go out in parallel.
 */
public final class DnsLookups {
    private final DnsResolver resolver;
    private final Instant deadline;
    private final Clock clock;

    public DnsLookups(DnsResolver resolver, Instant deadline, Clock clock) {
        this.resolver = resolver;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** A budget starting now. */
    public static DnsLookups startingNow(DnsResolver resolver, Duration budget) {
        Clock clock = Clock.systemUTC();
        return new DnsLookups(resolver, clock.instant().plus(budget), clock);
    }

    /** No DNS at all: every lookup answers {@link DnsStatus#UNAVAILABLE} at once. */
    public static DnsLookups none() {
        return new DnsLookups(DnsResolver.none(), Instant.EPOCH, Clock.systemUTC());
    }

    public CompletableFuture<DnsAnswer> query(String name, DnsRecordType type) {
        return resolver.query(name, type, deadline);
    }

    /** {@code label + "." + zone} (see {@link DnsResolver#query(String, String, DnsRecordType, Instant)}). */
    public CompletableFuture<DnsAnswer> query(String label, String zone, DnsRecordType type) {
        return resolver.query(label, zone, type, deadline);
    }

    public boolean isEnabled() {
        return resolver.isEnabled();
    }

    /** The nameservers asked, for log lines. */
    public String describe() {
        return resolver.describe();
    }

    public Instant deadline() {
        return deadline;
    }

    /** Time left until the deadline (zero when past). */
    public Duration remaining() {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
