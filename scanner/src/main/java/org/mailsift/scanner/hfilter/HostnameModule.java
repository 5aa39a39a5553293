package org.mailsift.scanner.hfilter;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsLookups;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.message.Envelope;
import org.mailsift.scanner.rbl.IpAddresses;
import org.mailsift.scanner.rbl.RblModule;
import org.mailsift.scanner.rbl.SymbolWeights;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * Rspamd's hfilter host checks and the reverse-DNS check: the HELO name (a bare or local IP, not a FQDN, resolving
 * to nothing), the client's reverse name (forward-confirmed: the PTR name must resolve back to the client's address),
 * the MAIL FROM domain, and bounces. A DNS failure never gives a "does not resolve" symbol, only RDNS_DNSFAIL for
 * the reverse lookup. Local and authenticated senders are skipped.
 */
public final class HostnameModule implements AsyncRule {
    /** Rspamd's check_fqdn: 4-253 characters, labels of letters, digits and inner hyphens, a TLD of 2+ characters. */
    private static final Pattern FQDN = Pattern.compile("((?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+[a-zA-Z0-9-]{2,63}\\.?");
    private static final List<String> NAMES = List.of("HFILTER_HELO_BAREIP", "HFILTER_HELO_BADIP",
            "HFILTER_HELO_NOT_FQDN", "HFILTER_HELO_NORES_A_OR_MX", "HFILTER_HELO_NORESOLVE_MX",
            "HFILTER_HOSTNAME_UNKNOWN", "HFILTER_FROMHOST_NOT_FQDN", "HFILTER_FROMHOST_NORES_A_OR_MX",
            "HFILTER_FROMHOST_NORESOLVE_MX", "HFILTER_FROM_BOUNCE", "HFILTER_RCPT_BOUNCEMOREONE", "RDNS_NONE",
            "RDNS_DNSFAIL");

    private final HostnameSettings settings;
    private final List<SymbolDefinition> symbols;

    public HostnameModule(HostnameSettings settings) {
        this.settings = settings;
        SymbolWeights w = SymbolWeights.load(RblModule.SYMBOLS_RESOURCE);
        this.symbols = NAMES.stream().map(n -> w.definition(n, "hfilter", n)).toList();
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return symbols;
    }

    static boolean isFqdn(String host) {
        return host.length() >= 4 && host.length() <= 253 && FQDN.matcher(host).matches();
    }

    @Override
    public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
        Envelope env = ctx.envelope();
        InetAddress ip = IpAddresses.parse(env.clientIp());
        DnsLookups dns = ctx.dns();
        if (!settings.enabled() || !dns.isEnabled() || ip == null
                || env.isAuthenticated() && !settings.checkAuthed()
                || (ctx.isLocal() || IpAddresses.isLocal(ip)) && !settings.checkLocal()) {
            return CompletableFuture.completedFuture(c -> { });
        }
        List<String[]> now = new ArrayList<>(); // symbols known without DNS: {name, option}
        List<CompletableFuture<List<String[]>>> later = new ArrayList<>();
        String helo = env.helo() == null ? null : env.helo().strip().replace("[", "").replace("]", "");
        if (settings.helo() && helo != null && !helo.isEmpty()) {
            InetAddress literal = IpAddresses.parse(helo);
            if (literal != null) {
                now.add(new String[] {IpAddresses.isLocal(literal) ? "HFILTER_HELO_BADIP" : "HFILTER_HELO_BAREIP", helo});
            } else if (!isFqdn(helo)) {
                now.add(new String[] {"HFILTER_HELO_NOT_FQDN", helo});
            } else {
                later.add(resolves(dns, helo.toLowerCase(Locale.ROOT), "HELO"));
            }
        }
        if (settings.hostname() && (env.clientHostname() == null || env.clientHostname().isBlank())) {
            later.add(reverse(dns, ip));
        }
        if (settings.from() && env.mailFrom() != null) {
            String from = env.mailFrom();
            int at = from.lastIndexOf('@');
            if (from.isEmpty()) {
                if (helo != null && !helo.isEmpty()) {
                    now.add(new String[] {"HFILTER_FROM_BOUNCE", helo});
                    if (settings.rcpt() && env.rcptTo().size() > 1) {
                        now.add(new String[] {"HFILTER_RCPT_BOUNCEMOREONE", String.valueOf(env.rcptTo().size())});
                    }
                }
            } else if (at > 0 && at < from.length() - 1) {
                String domain = from.substring(at + 1).toLowerCase(Locale.ROOT);
                if (!isFqdn(domain)) {
                    now.add(new String[] {"HFILTER_FROMHOST_NOT_FQDN", domain});
                } else {
                    later.add(resolves(dns, domain, "FROMHOST"));
                }
            }
        }
        return CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String[]> all = new ArrayList<>(now);
            later.forEach(f -> all.addAll(f.join()));
            return c -> all.forEach(s -> c.insert(s[0], s[1]));
        });
    }

    /** A, AAAA and MX of {@code host}: nothing at all → NORES_A_OR_MX; only MX hosts that do not resolve → NORESOLVE_MX. */
    private static CompletableFuture<List<String[]>> resolves(DnsLookups dns, String host, String what) {
        CompletableFuture<DnsAnswer> a = dns.query(host, DnsRecordType.A);
        CompletableFuture<DnsAnswer> aaaa = dns.query(host, DnsRecordType.AAAA);
        CompletableFuture<DnsAnswer> mx = dns.query(host, DnsRecordType.MX);
        return CompletableFuture.allOf(a, aaaa, mx).thenCompose(v -> {
            if (a.join().isOk() || aaaa.join().isOk() || anyTemporary(a.join(), aaaa.join(), mx.join())) {
                return CompletableFuture.completedFuture(List.of());
            }
            List<String> hosts = mx.join().mxHosts();
            if (hosts.isEmpty()) {
                return CompletableFuture.completedFuture(List.<String[]>of(new String[] {"HFILTER_" + what + "_NORES_A_OR_MX", host}));
            }
            List<CompletableFuture<DnsAnswer>> mxA = new ArrayList<>();
            for (String h : hosts.subList(0, Math.min(3, hosts.size()))) {
                mxA.add(dns.query(h, DnsRecordType.A));
                mxA.add(dns.query(h, DnsRecordType.AAAA));
            }
            return CompletableFuture.allOf(mxA.toArray(CompletableFuture[]::new)).thenApply(x -> {
                boolean anyResolves = mxA.stream().map(CompletableFuture::join).anyMatch(r -> r.isOk() || r.status().isTemporary());
                return anyResolves ? List.<String[]>of() : List.<String[]>of(new String[] {"HFILTER_" + what + "_NORESOLVE_MX", hosts.get(0)});
            });
        });
    }

    /** Forward-confirmed reverse DNS: PTR names, then their addresses must include the client's. */
    private static CompletableFuture<List<String[]>> reverse(DnsLookups dns, InetAddress ip) {
        String name = IpAddresses.reversed(ip) + (ip.getAddress().length == 4 ? ".in-addr.arpa" : ".ip6.arpa");
        DnsRecordType family = ip.getAddress().length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
        return dns.query(name, DnsRecordType.PTR).thenCompose(ptr -> {
            if (ptr.status().isTemporary()) {
                return CompletableFuture.completedFuture(List.<String[]>of(new String[] {"RDNS_DNSFAIL", RblModule.failure(ptr)}));
            }
            if (!ptr.isOk()) {
                return CompletableFuture.completedFuture(unknown());
            }
            List<CompletableFuture<DnsAnswer>> forward = ptr.records().stream().limit(3).map(h -> dns.query(h, family)).toList();
            return CompletableFuture.allOf(forward.toArray(CompletableFuture[]::new)).thenApply(v -> {
                String text = ip.getHostAddress();
                boolean confirmed = false;
                boolean failed = false;
                for (CompletableFuture<DnsAnswer> f : forward) {
                    DnsAnswer a = f.join();
                    failed |= a.status().isTemporary();
                    confirmed |= a.records().stream().map(IpAddresses::parse).anyMatch(x -> x != null && x.getHostAddress().equals(text));
                }
                if (confirmed) {
                    return List.<String[]>of();
                }
                return failed ? List.<String[]>of(new String[] {"RDNS_DNSFAIL", "forward lookup"}) : unknown();
            });
        });
    }

    private static List<String[]> unknown() {
        return List.of(new String[] {"HFILTER_HOSTNAME_UNKNOWN", "no reverse DNS"}, new String[] {"RDNS_NONE", "no reverse DNS"});
    }

    private static boolean anyTemporary(DnsAnswer... answers) {
        for (DnsAnswer a : answers) {
            if (a.status().isTemporary()) {
                return true;
            }
        }
        return false;
    }
}
