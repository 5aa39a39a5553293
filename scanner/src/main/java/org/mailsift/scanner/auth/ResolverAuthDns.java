package org.mailsift.scanner.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsLookups;
import org.mailsift.core.dns.DnsRecordType;

/** The authentication checks' lookups on the daemon's shared resolver, bounded by the message's DNS budget. */
public final class ResolverAuthDns implements AuthDns {
    private final DnsLookups lookups;

    public ResolverAuthDns(DnsLookups lookups) {
        this.lookups = lookups;
    }

    private CompletableFuture<Answer> ask(String name, DnsRecordType type) {
        if (name.length() > 253 || name.isEmpty()) {
            return CompletableFuture.completedFuture(Answer.NONE);
        }
        return lookups.query(name, type).handle((a, e) -> e != null ? Answer.TEMPFAIL : convert(a));
    }

    static Answer convert(DnsAnswer a) {
        return switch (a.status()) {
            case OK -> new Answer(Status.OK, a.type() == DnsRecordType.MX ? a.mxHosts() : a.records());
            case NODATA, NXDOMAIN -> Answer.NONE;
            default -> Answer.TEMPFAIL;
        };
    }

    @Override
    public CompletableFuture<Answer> txt(String name) {
        return ask(name, DnsRecordType.TXT);
    }

    @Override
    public CompletableFuture<Answer> a(String name) {
        return ask(name, DnsRecordType.A);
    }

    @Override
    public CompletableFuture<Answer> aaaa(String name) {
        return ask(name, DnsRecordType.AAAA);
    }

    @Override
    public CompletableFuture<Answer> mx(String name) {
        return ask(name, DnsRecordType.MX);
    }

    @Override
    public CompletableFuture<Answer> ptr(String name) {
        return ask(name, DnsRecordType.PTR);
    }

    /** For callers that hold a list of answers. */
    static List<String> records(Answer a) {
        return a.status() == Status.OK ? a.records() : List.of();
    }
}
