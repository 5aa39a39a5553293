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
 * Rspamd's hfilter host checks and the reverse-DNS check: the HELO name (bad or bare addresses, names that look like
 * dial-up or dynamic pools, not a FQDN, resolving to nothing), the client's host name (its patterns; when the MTA
 * gives none, a forward-confirmed reverse lookup), the MAIL FROM domain, bounces, the Message-ID host
 * ({@code mid_enabled}) and messages that are little more than a link ({@code url_enabled}). A DNS failure never
 * gives a "does not resolve" symbol (Rspamd's does), only RDNS_DNSFAIL for the reverse lookup. Local and
 * authenticated senders get the link checks only.
 */
public final class HostnameModule implements AsyncRule {
    /**
     * Rspamd's check_fqdn, {@code ((?!-)[a-zA-Z0-9-]{1,63}(?<!-)\.)+[a-zA-Z0-9-]{2,63}\.?} over the whole name, as
     * a pattern (the reference: the unit test checks {@link #isFqdn} against it).
     */
    static final Pattern FQDN = Pattern.compile("((?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+[a-zA-Z0-9-]{2,63}\\.?");
    /** The HELO rspamc sends: Rspamd skips the HELO checks for it. */
    private static final String RSPAMC_HELO = "rspamc.local";
    private static final List<String> NAMES = List.of("HFILTER_HELO_BAREIP", "HFILTER_HELO_BADIP",
            "HFILTER_HELO_1", "HFILTER_HELO_2", "HFILTER_HELO_3", "HFILTER_HELO_4", "HFILTER_HELO_5",
            "HFILTER_HELO_NOT_FQDN", "HFILTER_HELO_NORES_A_OR_MX", "HFILTER_HELO_NORESOLVE_MX", "HFILTER_HELO_IP_A",
            "HFILTER_HOSTNAME_1", "HFILTER_HOSTNAME_2", "HFILTER_HOSTNAME_3", "HFILTER_HOSTNAME_4", "HFILTER_HOSTNAME_5",
            "HFILTER_HOSTNAME_UNKNOWN", "HFILTER_FROMHOST_NOT_FQDN", "HFILTER_FROMHOST_NORES_A_OR_MX",
            "HFILTER_FROMHOST_NORESOLVE_MX", "HFILTER_FROM_BOUNCE", "HFILTER_RCPT_BOUNCEMOREONE",
            "HFILTER_MID_NOT_FQDN", "HFILTER_MID_NORES_A_OR_MX", "HFILTER_MID_NORESOLVE_MX",
            "HFILTER_URL_ONLY", "HFILTER_URL_ONELINE", "RDNS_NONE", "RDNS_DNSFAIL");

    private final HostnameSettings settings;
    private final HostPatterns patterns = HostPatterns.STOCK;
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

    /**
     * 4-253 characters matching {@link #FQDN}: labels of 1-63 letters, digits and inner hyphens each followed by a
     * dot, then a last label of 2-63 letters, digits or hyphens, then perhaps a final dot. Checked label by label
     * (every message's HELO and MAIL FROM domain pass here; the regex's look-arounds cost more than the rest of the
     * module did).
     */
    static boolean isFqdn(String host) {
        int n = host.length();
        if (n < 4 || n > 253) {
            return false;
        }
        int end = host.charAt(n - 1) == '.' ? n - 1 : n; // the optional final dot (no label can hold a dot)
        int lastDot = host.lastIndexOf('.', end - 1);
        if (lastDot <= 0 || !label(host, lastDot + 1, end, 2, true)) {
            return false;
        }
        int start = 0;
        for (int dot = host.indexOf('.'); dot <= lastDot && dot >= 0; dot = host.indexOf('.', start)) {
            if (!label(host, start, dot, 1, false)) {
                return false;
            }
            start = dot + 1;
        }
        return true;
    }

    /** host[from, to): min-63 of [a-zA-Z0-9-], not starting or ending with '-' unless {@code edgeHyphens}. */
    private static boolean label(String host, int from, int to, int min, boolean edgeHyphens) {
        int length = to - from;
        if (length < min || length > 63) {
            return false;
        }
        if (!edgeHyphens && (host.charAt(from) == '-' || host.charAt(to - 1) == '-')) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A symbol with its runtime score and option, known now or once its lookups are answered. */
    record Hit(String name, double score, String option) {
        Hit(String name, String option) {
            this(name, 1.0, option);
        }
    }

    @Override
    public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
        if (!settings.enabled()) {
            return CompletableFuture.completedFuture(c -> { });
        }
        List<Hit> now = new ArrayList<>(); // symbols known without DNS
        if (settings.url()) {
            now.addAll(LinkOnlyText.check(ctx.message()));
        }
        Envelope env = ctx.envelope();
        InetAddress ip = IpAddresses.parse(env.clientIp());
        DnsLookups dns = ctx.dns();
        if (!dns.isEnabled() || ip == null
                || env.isAuthenticated() && !settings.checkAuthed()
                || (ctx.isLocal() || IpAddresses.isLocal(ip)) && !settings.checkLocal()) {
            return CompletableFuture.completedFuture(c -> now.forEach(h -> c.insert(h.name, h.score, List.of(h.option))));
        }
        List<CompletableFuture<List<Hit>>> later = new ArrayList<>();
        String helo = env.helo() == null ? null : env.helo().strip().replace("[", "").replace("]", "");
        int heloWeight = 0;
        if (settings.helo() && helo != null && !helo.isEmpty() && !helo.equals(RSPAMC_HELO)) {
            if (patterns.isBadIp(helo)) {
                now.add(new Hit("HFILTER_HELO_BADIP", helo));
            } else if (patterns.isBareIp(helo)) {
                now.add(new Hit("HFILTER_HELO_BAREIP", helo));
            } else {
                heloWeight = patterns.heloWeight(helo);
                if (heloWeight == 0) {
                    host(dns, helo, "HELO", true, now, later);
                }
            }
        }
        String hostname = env.clientHostname() == null || env.clientHostname().isBlank()
                || env.clientHostname().startsWith("[") ? null : env.clientHostname().strip();
        int hostWeight = 0;
        if (settings.hostname()) {
            if (hostname != null) {
                hostWeight = patterns.hostnameWeight(hostname);
            } else {
                later.add(reverse(dns, ip));
            }
        }
        // the heavier of the two, the HELO's on a tie, as Rspamd inserts them
        if (heloWeight > 0 && heloWeight >= hostWeight) {
            now.add(new Hit("HFILTER_HELO_" + heloWeight, helo));
        } else if (hostWeight > 0) {
            now.add(new Hit("HFILTER_HOSTNAME_" + hostWeight, hostname));
        }
        boolean bounce = false;
        if (settings.from() && env.mailFrom() != null) {
            String from = env.mailFrom();
            int at = from.lastIndexOf('@');
            if (from.isEmpty()) {
                if (helo != null && !helo.isEmpty() && !helo.equals(RSPAMC_HELO)) {
                    now.add(new Hit("HFILTER_FROM_BOUNCE", helo));
                    bounce = true;
                }
            } else if (at > 0 && at < from.length() - 1) {
                host(dns, from.substring(at + 1), "FROMHOST", false, now, later);
                bounce = from.substring(0, at).equalsIgnoreCase("postmaster");
            }
        }
        if (settings.rcpt() && bounce && env.rcptTo().size() > 1) {
            now.add(new Hit("HFILTER_RCPT_BOUNCEMOREONE", String.valueOf(env.rcptTo().size())));
        }
        if (settings.mid()) {
            ctx.message().messageId().ifPresent(mid -> {
                String[] parts = mid.split("@", -1);
                if (parts.length == 2 && !parts[1].contains("local")) {
                    host(dns, parts[1], "MID", false, now, later);
                }
            });
        }
        java.util.function.Function<Object, Consumer<ScanContext>> result = v -> {
            List<Hit> all = new ArrayList<>(now);
            later.forEach(f -> all.addAll(f.join()));
            return c -> all.forEach(h -> c.insert(h.name, h.score, List.of(h.option)));
        };
        return later.stream().allMatch(CompletableFuture::isDone) ? CompletableFuture.completedFuture(result.apply(null))
                : CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).thenApply(result);
    }

    /**
     * Rspamd's check_host: not a FQDN gives {@code HFILTER_<what>_NOT_FQDN} at once; otherwise its A, AAAA and MX
     * are looked up. For the HELO, a name with no address at all also gives HFILTER_HELO_IP_A, as Rspamd 3.4 does.
     */
    private static void host(DnsLookups dns, String name, String what, boolean heloIpA, List<Hit> now,
                             List<CompletableFuture<List<Hit>>> later) {
        String host = name.toLowerCase(Locale.ROOT);
        if (!isFqdn(host)) {
            now.add(new Hit("HFILTER_" + what + "_NOT_FQDN", host));
        } else {
            later.add(resolves(dns, host, what, heloIpA));
        }
    }

    /** A, AAAA and MX of {@code host}: nothing at all → NORES_A_OR_MX; only MX hosts that do not resolve → NORESOLVE_MX. */
    private static CompletableFuture<List<Hit>> resolves(DnsLookups dns, String host, String what, boolean heloIpA) {
        CompletableFuture<DnsAnswer> a = dns.query(host, DnsRecordType.A);
        CompletableFuture<DnsAnswer> aaaa = dns.query(host, DnsRecordType.AAAA);
        CompletableFuture<DnsAnswer> mx = dns.query(host, DnsRecordType.MX);
        java.util.function.Function<Object, CompletableFuture<List<Hit>>> judge = v -> {
            if (a.join().isOk() || aaaa.join().isOk() || anyTemporary(a.join(), aaaa.join())) {
                return CompletableFuture.completedFuture(List.of());
            }
            List<Hit> noAddress = heloIpA ? List.of(new Hit("HFILTER_HELO_IP_A", host)) : List.of();
            if (mx.join().status().isTemporary()) {
                return CompletableFuture.completedFuture(noAddress);
            }
            List<String> hosts = mx.join().mxHosts();
            if (hosts.isEmpty()) {
                List<Hit> out = new ArrayList<>(noAddress);
                out.add(new Hit("HFILTER_" + what + "_NORES_A_OR_MX", host));
                return CompletableFuture.completedFuture(out);
            }
            List<CompletableFuture<DnsAnswer>> mxA = new ArrayList<>();
            for (String h : hosts.subList(0, Math.min(3, hosts.size()))) {
                mxA.add(dns.query(h, DnsRecordType.A));
                mxA.add(dns.query(h, DnsRecordType.AAAA));
            }
            java.util.function.Function<Object, List<Hit>> mxJudge = x -> {
                boolean anyResolves = mxA.stream().map(CompletableFuture::join).anyMatch(r -> r.isOk() || r.status().isTemporary());
                List<Hit> out = new ArrayList<>(noAddress);
                if (!anyResolves) {
                    out.add(new Hit("HFILTER_" + what + "_NORESOLVE_MX", hosts.get(0)));
                }
                return out;
            };
            return mxA.stream().allMatch(CompletableFuture::isDone) ? CompletableFuture.completedFuture(mxJudge.apply(null))
                    : CompletableFuture.allOf(mxA.toArray(CompletableFuture[]::new)).thenApply(mxJudge);
        };
        // answers already in the resolver's cache are judged at once, without chaining futures
        return a.isDone() && aaaa.isDone() && mx.isDone() ? judge.apply(null)
                : CompletableFuture.allOf(a, aaaa, mx).thenCompose(judge);
    }

    /**
     * Forward-confirmed reverse DNS: PTR names, then their addresses must include the client's. Answers already in
     * the resolver's cache are read at once, without chaining futures.
     */
    private static CompletableFuture<List<Hit>> reverse(DnsLookups dns, InetAddress ip) {
        String name = IpAddresses.reversed(ip) + (ip.getAddress().length == 4 ? ".in-addr.arpa" : ".ip6.arpa");
        DnsRecordType family = ip.getAddress().length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
        CompletableFuture<DnsAnswer> ptr = dns.query(name, DnsRecordType.PTR);
        return ptr.isDone() ? forward(dns, ip, family, ptr.join()) : ptr.thenCompose(p -> forward(dns, ip, family, p));
    }

    private static CompletableFuture<List<Hit>> forward(DnsLookups dns, InetAddress ip, DnsRecordType family, DnsAnswer ptr) {
        if (ptr.status().isTemporary()) {
            return CompletableFuture.completedFuture(List.of(new Hit("RDNS_DNSFAIL", RblModule.failure(ptr))));
        }
        if (!ptr.isOk()) {
            return CompletableFuture.completedFuture(unknown());
        }
        List<String> names = ptr.records();
        List<CompletableFuture<DnsAnswer>> forward = new ArrayList<>(Math.min(3, names.size()));
        boolean allDone = true;
        for (int i = 0; i < names.size() && i < 3; i++) {
            CompletableFuture<DnsAnswer> f = dns.query(names.get(i), family);
            forward.add(f);
            allDone &= f.isDone();
        }
        if (allDone) {
            return CompletableFuture.completedFuture(confirmation(ip, forward));
        }
        return CompletableFuture.allOf(forward.toArray(CompletableFuture[]::new)).thenApply(v -> confirmation(ip, forward));
    }

    private static List<Hit> confirmation(InetAddress ip, List<CompletableFuture<DnsAnswer>> forward) {
        String text = ip.getHostAddress();
        boolean confirmed = false;
        boolean failed = false;
        for (CompletableFuture<DnsAnswer> f : forward) {
            DnsAnswer a = f.join();
            failed |= a.status().isTemporary();
            // the resolver writes addresses as InetAddress does; others are compared as addresses
            confirmed |= a.records().contains(text)
                    || a.records().stream().map(IpAddresses::parse).anyMatch(x -> x != null && x.getHostAddress().equals(text));
        }
        if (confirmed) {
            return List.of();
        }
        return failed ? List.of(new Hit("RDNS_DNSFAIL", "forward lookup")) : unknown();
    }

    private static List<Hit> unknown() {
        return List.of(new Hit("HFILTER_HOSTNAME_UNKNOWN", "no reverse DNS"), new Hit("RDNS_NONE", "no reverse DNS"));
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
