package org.mailsift.core.dns;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon's one asynchronous DNS resolver (configured by {@code options.inc} {@code dns { }}; see
 * {@link DnsSettings}). Lookups never block the caller and never complete exceptionally: every failure is a
 * {@link DnsStatus}. Answers are cached by TTL, so asking again is cheap.
 *
 * <p>Checks that run during a scan ask through the scan's {@link DnsLookups}, which bounds every lookup by the
 * message's DNS budget.
 */
public interface DnsResolver extends AutoCloseable {
    /**
     * Looks {@code name} up; the future completes by {@code deadline} at the latest (with {@link DnsStatus#TIMEOUT}
     * when no answer came by then).
     */
    CompletableFuture<DnsAnswer> query(String name, DnsRecordType type, Instant deadline);

    /**
     * Looks up {@code label + "." + zone}: the same answer, by the same deadline, as {@link #query(String,
     * DnsRecordType, Instant)} for that name. DNS lists ask one label (an address, a domain) in many zones; a
     * resolver may keep those answers together, so a message's lists find them without building each name.
     */
    default CompletableFuture<DnsAnswer> query(String label, String zone, DnsRecordType type, Instant deadline) {
        return query(label + "." + zone, type, deadline);
    }

    /** Whether lookups can be sent at all (false for {@link #none()}); checks stay silent without one. */
    default boolean isEnabled() {
        return true;
    }

    /** The nameservers asked, for log lines ("10.0.0.53:53"). */
    default String describe() {
        return "(no resolver)";
    }

    @Override
    default void close() {
    }

    /** A resolver that answers every question at once with {@link DnsStatus#UNAVAILABLE}: scans without DNS. */
    static DnsResolver none() {
        return NoResolver.INSTANCE;
    }

    /** Lower-cases and strips the final dot: the form names are cached and compared in. */
    static String normalize(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}

final class NoResolver implements DnsResolver {
    static final NoResolver INSTANCE = new NoResolver();

    @Override
    public CompletableFuture<DnsAnswer> query(String name, DnsRecordType type, Instant deadline) {
        return CompletableFuture.completedFuture(DnsAnswer.of(DnsResolver.normalize(name), type, DnsStatus.UNAVAILABLE));
    }

    @Override
    public boolean isEnabled() {
        return false;
    }
}
