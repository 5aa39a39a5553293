package org.mailsift.scanner.rbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsLookups;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.core.message.Envelope;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolHits;
import org.mailsift.scanner.selectors.SelectorInput;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * Rspamd's rbl module: every configured DNS list, checked for the message's sending IP, Received IPs, HELO, reverse
 * name, URL and e-mail domains, all queries at once. Allow lists ({@code is_whitelist}) are read first: an element
 * they vouch for is not held against the sender by the block lists checking the same thing. A list that answers
 * with its "you are blocked" code is paused ({@link BlockedLists}) and never yields a listing. Without a resolver
 * the module stays silent.
 */
public final class RblModule implements AsyncRule, AutoCloseable {
    public static final String SYMBOLS_RESOURCE = "/org/mailsift/scanner/rbl/symbols.conf";
    static final String URL_DOMAINS_LIMIT = "URL_DOMAINS_LIMIT";
    static final String URL_MALFORMED = "URL_MALFORMED";
    static final String URL_OBFUSCATED = "URL_OBFUSCATED_TEXT";
    private static final int MAX_RESOLVED_IPS = 4;
    private static final int MAX_DKIM_SIGNATURES = 8;
    /** A URL host read once and found to be no address literal. */
    private static final Address NO_ADDRESS = new Address(null, "", "", false);

    private final RblSettings settings;
    private final BlockedLists blocked;
    private final UrlExtractor extractor;
    private final List<SymbolDefinition> symbols;

    public RblModule(RblSettings settings) {
        this(settings, BlockedLists.SHARED);
    }

    RblModule(RblSettings settings, BlockedLists blocked) {
        this.settings = settings;
        this.blocked = blocked;
        this.extractor = new UrlExtractor(settings.maxUrls(), settings.maxUrlDomains());
        this.symbols = declare(settings, SymbolWeights.load(SYMBOLS_RESOURCE));
    }

    private static List<SymbolDefinition> declare(RblSettings settings, SymbolWeights w) {
        Map<String, SymbolDefinition> out = new LinkedHashMap<>();
        for (RblList l : settings.lists()) {
            String desc = "DNS list " + l.zone();
            Set<String> bases = new LinkedHashSet<>(l.returnCodes().keySet());
            bases.addAll(l.returnBits().keySet());
            bases.add(l.symbol());
            for (String base : bases) {
                for (RblList.Check c : l.checks()) {
                    String name = l.symbolFor(base, c);
                    out.putIfAbsent(name, w.definition(name, "rbl", desc));
                }
            }
            out.putIfAbsent(l.failSymbol(), w.definition(l.failSymbol(), "rbl", desc + ": DNS failure"));
        }
        for (String s : List.of(URL_DOMAINS_LIMIT, URL_MALFORMED, URL_OBFUSCATED)) {
            out.put(s, w.definition(s, "url", s));
        }
        return List.copyOf(out.values());
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return symbols;
    }

    /** Stops watching the lists' whitelist map files (the engine closes its rules when a reload replaces it). */
    @Override
    public void close() {
        settings.lists().stream().map(RblList::whitelist).distinct().forEach(Whitelist::close);
    }

    /**
     * One name to look up in one list, and what it stands for. {@code dkimSigners}: the d= domains a DKIM check's
     * request was made for; it counts only for those whose signature the DKIM check found valid. Both are lists
     * kept free of repeats, in the order met: one or two entries, where a hash set per request cost more than the
     * (cached) lookup itself. {@code label}: what is asked in the list's zone (the element's reversed address,
     * name or digest).
     */
    private record Request(RblList list, String element, String label, List<RblList.Check> checks, List<String> dkimSigners) {
        Request(RblList list, String element, String label, List<RblList.Check> checks) {
            this(list, element, label, checks, new ArrayList<>(0));
        }
    }

    private record Outcome(Request request, DnsAnswer answer) {
    }

    @Override
    public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
        DnsLookups dns = ctx.dns();
        if (!settings.enabled() || !dns.isEnabled() || settings.lists().isEmpty()) {
            return CompletableFuture.completedFuture(c -> { });
        }
        Facts facts = new Facts(ctx, extractor);
        List<Request> requests = new ArrayList<>();
        for (RblList l : settings.lists()) {
            if (!blocked.isPaused(l.zone())) {
                requests.addAll(requests(l, facts));
            }
        }
        // per request, its answer (a DnsAnswer) or, for resolve_ip, the outcomes of its addresses (a List<Outcome>)
        List<CompletableFuture<?>> pending = new ArrayList<>(requests.size());
        boolean allDone = true;
        for (Request r : requests) {
            CompletableFuture<?> f = r.list.resolveIp() && IpAddresses.parse(r.element) == null ? viaAddresses(dns, r)
                    : dns.query(r.label, r.list.zone(), DnsRecordType.A);
            pending.add(f);
            allDone &= f.isDone();
        }
        MessageUrls urls = facts.urlsIfRead();
        if (allDone) {
            // every answer came from the resolver's cache (the usual case on a busy server): nothing to wait for
            List<Outcome> outcomes = outcomes(requests, pending);
            return CompletableFuture.completedFuture(c -> apply(c, outcomes, urls, dns));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Outcome> outcomes = outcomes(requests, pending);
            return c -> apply(c, outcomes, urls, dns);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Outcome> outcomes(List<Request> requests, List<CompletableFuture<?>> pending) {
        List<Outcome> out = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Object v = pending.get(i).join();
            if (v instanceof DnsAnswer a) {
                out.add(new Outcome(requests.get(i), a));
            } else {
                out.addAll((List<Outcome>) v);
            }
        }
        return out;
    }

    /**
     * {@code resolve_ip}: the host's addresses (A and AAAA, a few of each) are looked up in the list instead of its
     * name, as Rspamd's SPAMHAUS_ZEN_URIBL does; an option reads "address:host:check".
     */
    private static CompletableFuture<List<Outcome>> viaAddresses(DnsLookups dns, Request r) {
        CompletableFuture<DnsAnswer> a = dns.query(r.element, DnsRecordType.A);
        CompletableFuture<DnsAnswer> aaaa = dns.query(r.element, DnsRecordType.AAAA);
        return a.thenCombine(aaaa, (x, y) -> {
            Map<String, Request> byIp = new LinkedHashMap<>();
            for (DnsAnswer answer : List.of(x, y)) {
                answer.records().stream().limit(MAX_RESOLVED_IPS).map(IpAddresses::parse).forEach(ip -> {
                    if (ip != null && (ip instanceof Inet4Address ? r.list.ipv4() : r.list.ipv6())) {
                        String label = label(r.list, IpAddresses.reversed(ip));
                        byIp.putIfAbsent(label, new Request(r.list, ip.getHostAddress() + ":" + r.element, label, r.checks, r.dkimSigners));
                    }
                });
            }
            return byIp.values();
        }).thenCompose(ips -> {
            List<CompletableFuture<Outcome>> asked = ips.stream()
                    .map(q -> dns.query(q.label, q.list.zone(), DnsRecordType.A).thenApply(ans -> new Outcome(q, ans))).toList();
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                    .thenApply(v -> asked.stream().map(CompletableFuture::join).toList());
        });
    }

    // ---------------------------------------------------------------- what to ask

    private List<Request> requests(RblList l, Facts f) {
        if (l.excludeUsers() && f.env.isAuthenticated()) {
            return List.of();
        }
        if ((l.excludeLocal() || l.excludePrivateIps()) && f.client() != null
                && (l.excludeLocal() && f.local || l.excludePrivateIps() && f.client().local())) {
            return List.of(); // as Rspamd: a list that excludes local senders skips them altogether
        }
        Map<String, Request> out = new LinkedHashMap<>();
        for (RblList.Check check : l.checks()) {
            switch (check) {
                case FROM -> ip(l, f.client(), check, out);
                case RECEIVED -> {
                    List<Address> hops = f.receivedAddresses();
                    for (int i = 0; i < hops.size(); i++) {
                        if (inReceivedRange(l, i + 1, hops.size()) && !(l.excludePrivateIps() && hops.get(i).local())) {
                            ip(l, hops.get(i), check, out);
                        }
                    }
                }
                case HELO -> name(l, f.heloName(), check, out);
                case RDNS -> name(l, f.rdnsName(), check, out);
                case URLS, CONTENT_URLS, IMAGES -> {
                    int n = 0;
                    List<MessageUrls.UrlHost> hosts = f.urls().hosts();
                    for (int i = 0; i < hosts.size(); i++) {
                        MessageUrls.UrlHost h = hosts.get(i);
                        if (n >= l.requestsLimit()) {
                            break;
                        }
                        boolean added;
                        if (h.ip()) {
                            Address a = l.noIp() ? null : f.urlAddress(i);
                            added = a != null && !a.local() && ip(l, a, check, out);
                        } else {
                            added = checkedName(l, l.urlFullHostname() ? h.host() : h.registrable(), check, out);
                            // one label below the registrable domain too: lists such as SURBL and URIBL list
                            // subdomains of shared hosts (their test points test.surbl.org, test.uribl.com)
                            String sub = l.urlFullHostname() ? null : f.labelBelow(i);
                            if (added && sub != null) {
                                checkedName(l, sub, check, out);
                            }
                        }
                        n += added ? 1 : 0;
                    }
                }
                case EMAILS -> {
                    int n = 0;
                    for (Email e : f.emails()) {
                        if (n++ >= l.requestsLimit()) {
                            break;
                        }
                        email(l, e, check, out);
                    }
                }
                case REPLYTO -> email(l, f.replyTo(), check, out);
                case DKIM -> dkim(l, f, out);
                case SELECTOR -> {
                    for (RblList.SelectorCheck sc : l.selectors()) {
                        for (String value : sc.flatten() ? sc.selector().flatten(f.selectorInput())
                                : sc.selector().combine(f.selectorInput(), "")) {
                            if (!value.isEmpty()) {
                                add(out, l, value, value, check);
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** "a.b.example.com" with registrable "example.com" → "b.example.com"; null when there is no such label or it is www. */
    static String oneLabelBelow(String host, String registrable) {
        if (host.length() <= registrable.length() + 1 || !host.endsWith("." + registrable)) {
            return null;
        }
        String head = host.substring(0, host.length() - registrable.length() - 1);
        String label = head.substring(head.lastIndexOf('.') + 1);
        return label.isEmpty() || label.equals("www") ? null : label + "." + registrable;
    }

    private static boolean inReceivedRange(RblList l, int pos, int total) {
        Integer min = l.receivedMinPos();
        Integer max = l.receivedMaxPos();
        if (min != null && (min >= 0 ? pos < min : pos <= total - Math.abs(min) && !(min == -1 && pos == total))) {
            return false;
        }
        return max == null || (max > 0 ? pos <= max : max >= -1 || total - Math.abs(max) < pos);
    }

    private static boolean ip(RblList l, Address a, RblList.Check check, Map<String, Request> out) {
        if (a == null || (a.ip() instanceof Inet4Address ? !l.ipv4() : !l.ipv6())) {
            return false;
        }
        if (l.whitelist().containsIp(a.ip())) {
            return false;
        }
        add(out, l, a.text(), a.reversed(), check);
        return true;
    }

    /** @param ascii a HELO or reverse name as {@link Facts#checkableName} gives it (null: nothing to check) */
    private static boolean name(RblList l, String ascii, RblList.Check check, Map<String, Request> out) {
        if (ascii == null || l.whitelist().containsDomain(ascii)) {
            return false;
        }
        add(out, l, ascii, ascii, check);
        return true;
    }

    /** A name already in ASCII with a public suffix (from the URL extractor or the Public Suffix List). */
    private static boolean checkedName(RblList l, String name, RblList.Check check, Map<String, Request> out) {
        if (!l.whitelist().isEmpty() && l.whitelist().containsDomain(name)) {
            return false;
        }
        add(out, l, name, name, check);
        return true;
    }

    /** @param e an address as {@link Email#of} reads it (null: none, or not an address) */
    private static void email(RblList l, Email e, RblList.Check check, Map<String, Request> out) {
        if (e == null || e.user().isEmpty()) {
            return;
        }
        String user = e.user();
        String domain = e.domain();
        if (l.emailsDomainonly()) {
            if (l.urlFullHostname()) {
                checkedName(l, domain, check, out);
            } else if (e.registrable() != null) {
                checkedName(l, e.registrable(), check, out);
            }
            return;
        }
        if (l.whitelist().containsDomain(domain)) {
            return;
        }
        if (l.resolveIp()) {
            // the e-mail's host is resolved and its addresses looked up (Rspamd would resolve "user.domain")
            checkedName(l, domain, check, out);
            return;
        }
        String delimiter = l.emailsDelimiter() != null ? l.emailsDelimiter() : l.hash() != null ? "@" : ".";
        add(out, l, user + "@" + domain, user + delimiter + domain, check);
    }

    /**
     * {@code dkim}: the domains of the message's DKIM signatures, looked up now and counted only for signatures the
     * DKIM check finds valid (DKIM_TRACE "domain:+"), as Rspamd's check after DKIM_CHECK. With
     * {@code dkim_match_from} only the domain of the From: header, and (as in Rspamd, where the two options interact
     * so) {@code dkim_domainonly} then compares the signing domain as it is.
     */
    private static void dkim(RblList l, Facts f, Map<String, Request> out) {
        String fromDomain = null;
        if (l.dkimMatchFrom()) {
            String d = f.fromDomain();
            if (d == null) {
                return;
            }
            fromDomain = l.urlFullHostname() ? d : PublicSuffix.registrableDomain(d).orElse(d);
        }
        for (String signer : f.dkimSigners()) {
            String name;
            if (l.dkimMatchFrom()) {
                name = l.dkimDomainonly() || l.urlFullHostname() ? signer
                        : PublicSuffix.registrableDomain(signer).orElse(signer);
                if (!name.equals(fromDomain)) {
                    continue;
                }
            } else {
                name = !l.dkimDomainonly() || l.urlFullHostname() ? signer
                        : PublicSuffix.registrableDomain(signer).orElse(signer);
            }
            if (l.whitelist().containsDomain(name)) {
                continue;
            }
            add(out, l, name, name, RblList.Check.DKIM);
            Request r = out.get(label(l, name));
            if (r != null && !r.dkimSigners.contains(signer)) {
                r.dkimSigners.add(signer);
            }
        }
    }

    /**
     * @param out one list's requests by label (the zone is the list's): the query name {@code label.zone} is never
     *            built here, the resolver finds cached answers by label
     */
    private static void add(Map<String, Request> out, RblList l, String element, String name, RblList.Check check) {
        String label = label(l, name);
        // validName(label + "." + zone), whose labels are the label's and the zone's
        if (label.length() + 1 + l.zone().length() > 253 || !validName(label) || !validName(l.zone())) {
            return; // Rspamd refuses to send such a request too
        }
        Request r = out.get(label);
        if (r == null) {
            List<RblList.Check> checks = new ArrayList<>(2);
            checks.add(check);
            out.put(label, new Request(l, element, label, checks));
        } else if (!r.checks.contains(check)) {
            r.checks.add(check);
        }
    }

    /** The label a list is asked: the name itself, or its digest for hashed lists. */
    private static String label(RblList l, String name) {
        return l.hash() == null ? name : ListHash.of(name, l.hash(), l.hashFormat(), l.hashLen());
    }

    /** Rspamd's validate_dns: no empty label, none longer than 63 characters or starting / ending with a hyphen. */
    static boolean validName(String name) {
        int start = 0;
        while (start <= name.length()) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            int len = end - start;
            if (len == 0 || len > 63 || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
        return false;
    }

    // ---------------------------------------------------------------- what the answers mean

    private void apply(ScanContext ctx, List<Outcome> all, MessageUrls urls, DnsLookups resolver) {
        List<Outcome> outcomes = validDkim(ctx, all);
        Set<String> vouched = new HashSet<>(); // "element|check" vouched for by an allow list
        for (Outcome o : outcomes) {
            if (o.request.list.isWhitelist()) {
                for (String symbol : interpret(ctx, o, resolver)) {
                    if (!o.request.list.whitelistExceptions().contains(symbol)) {
                        for (RblList.Check c : o.request.checks) {
                            vouched.add(o.request.element + "|" + c.label());
                        }
                    }
                }
            }
        }
        for (Outcome o : outcomes) {
            RblList l = o.request.list;
            if (l.isWhitelist()) {
                continue;
            }
            if (!l.ignoreWhitelist() && !vouched.isEmpty()
                    && o.request.checks.stream().allMatch(c -> vouched.contains(o.request.element + "|" + c.label()))) {
                continue;
            }
            interpret(ctx, o, resolver);
        }
        if (urls != null) {
            if (urls.distinctDomains() > urls.hosts().size()) {
                ctx.insert(URL_DOMAINS_LIMIT, "found:" + urls.distinctDomains(), "checked:" + urls.hosts().size());
            }
            if (urls.malformed() > 0) {
                ctx.insert(URL_MALFORMED, String.valueOf(urls.malformed()));
            }
            if (urls.obfuscated() > 0) {
                ctx.insert(URL_OBFUSCATED, String.valueOf(urls.obfuscated()));
            }
        }
    }

    /**
     * The outcomes that count: a DKIM check's request only for signers whose signature the DKIM check (applied
     * before this module) found valid; a request made for DKIM and something else keeps the other checks.
     */
    private static List<Outcome> validDkim(ScanContext ctx, List<Outcome> outcomes) {
        if (outcomes.stream().allMatch(o -> o.request.dkimSigners.isEmpty())) {
            return outcomes;
        }
        Set<String> valid = new HashSet<>();
        if (ctx instanceof SymbolHits hits) {
            for (String t : hits.options("DKIM_TRACE")) {
                if (t.endsWith(":+")) {
                    valid.add(t.substring(0, t.length() - 2).toLowerCase(Locale.ROOT));
                }
            }
        }
        List<Outcome> out = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            Request r = o.request;
            if (r.dkimSigners.isEmpty() || r.dkimSigners.stream().anyMatch(valid::contains)) {
                out.add(o);
                continue;
            }
            List<RblList.Check> others = new ArrayList<>(r.checks);
            others.remove(RblList.Check.DKIM);
            if (!others.isEmpty()) {
                out.add(new Outcome(new Request(r.list, r.element, r.label, others), o.answer));
            }
        }
        return out;
    }

    /** Inserts what one answer means; returns the base symbols it matched. */
    private List<String> interpret(ScanContext ctx, Outcome o, DnsLookups resolver) {
        RblList l = o.request.list;
        DnsAnswer a = o.answer;
        if (a.status().isTemporary()) {
            ctx.insert(l.failSymbol(), 1.0, List.of(o.request.element + ":" + failure(a)));
            return List.of();
        }
        if (!a.isOk()) {
            return List.of(); // NXDOMAIN / NODATA: not listed
        }
        List<String> matched = new ArrayList<>();
        for (String record : a.records()) {
            List<String> symbols = match(l, record);
            boolean blockedAnswer = record.startsWith("127.255.255.")
                    || symbols.stream().anyMatch(s -> s.endsWith("_BLOCKED") || s.endsWith("_BLOCKED_OPENRESOLVER"));
            if (blockedAnswer) {
                String sym = symbols.stream().filter(s -> s.contains("BLOCKED")).findFirst().orElse(l.symbol());
                insert(ctx, o.request, sym, null);
                blocked.block(l.zone(), record, sym, resolver.describe(), settings.blockedBackoff());
                return List.of(); // never a listing
            }
            if (symbols.isEmpty()) {
                if (l.returnCodes().isEmpty() && l.returnBits().isEmpty() || l.unknown()) {
                    insert(ctx, o.request, l.symbol(), record);
                    matched.add(l.symbol());
                }
                continue;
            }
            for (String s : symbols) {
                insert(ctx, o.request, s, null);
                matched.add(s);
            }
        }
        return matched;
    }

    /**
     * How a lookup failed, in the symbol's option. A nameserver skipped as down counts as a timeout: it is one (the
     * resolver only stopped waiting for it), and the same message gets the same result either way.
     */
    public static String failure(DnsAnswer a) {
        return switch (a.status()) {
            case TIMEOUT, UNAVAILABLE -> "timeout";
            default -> a.status().name().toLowerCase(Locale.ROOT);
        };
    }

    private static List<String> match(RblList l, String record) {
        List<String> out = new ArrayList<>();
        if (!l.returnBits().isEmpty()) {
            InetAddress a = IpAddresses.parse(record);
            if (a instanceof Inet4Address) {
                byte[] b = a.getAddress();
                long n = (b[0] & 255L) << 24 | (b[1] & 255L) << 16 | (b[2] & 255L) << 8 | (b[3] & 255L);
                l.returnBits().forEach((sym, bits) -> {
                    for (long bit : bits) {
                        if ((n & bit) == bit) {
                            out.add(sym);
                            break;
                        }
                    }
                });
            }
            return out;
        }
        l.returnCodes().forEach((sym, patterns) -> {
            if (patterns.stream().anyMatch(p -> p.matcher(record).matches())) {
                out.add(sym);
            }
        });
        return out;
    }

    /** @param record the answer, in the option only for an unrecognised code (as Rspamd writes it), else null */
    private static void insert(ScanContext ctx, Request r, String base, String record) {
        for (RblList.Check c : r.checks) {
            String option = r.element + ":" + c.label() + (record != null ? ":" + record : "");
            ctx.insert(r.list.symbolFor(base, c), 1.0, List.of(option));
        }
    }

    // ---------------------------------------------------------------- what the message offers

    /**
     * An address as the lists ask for it, made once per message however many lists check it: its text (in options),
     * its reversed form (the query label) and whether it is local.
     */
    record Address(InetAddress ip, String text, String reversed, boolean local) {
        static Address of(InetAddress ip) {
            return ip == null ? null : new Address(ip, ip.getHostAddress(), IpAddresses.reversed(ip), IpAddresses.isLocal(ip));
        }
    }

    /**
     * An e-mail address as the lists ask for it, read once per message: user and domain in lower case without
     * aliases ({@link EmailAliases}), and the domain's registrable domain (null when it has none).
     */
    record Email(String user, String domain, String registrable) {
        /** null when {@code address} has no user or no domain */
        static Email of(String address) {
            int at = address.lastIndexOf('@');
            if (at <= 0 || at == address.length() - 1) {
                return null;
            }
            String[] unaliased = EmailAliases.remove(address.substring(0, at).toLowerCase(Locale.ROOT),
                    address.substring(at + 1).toLowerCase(Locale.ROOT));
            return new Email(unaliased[0], unaliased[1], PublicSuffix.registrableDomain(unaliased[1]).orElse(null));
        }
    }

    /**
     * The message's checkable elements, read lazily (URL extraction only when a list wants URLs) and once: the
     * stock configuration has nine lists asking for the client's address and seven for each e-mail domain.
     */
    private static final class Facts {
        final Envelope env;
        final boolean local;
        private final ScanContext ctx;
        private final UrlExtractor extractor;
        private boolean clientRead;
        private Address client;
        private MessageUrls urls;
        private String[] labelsBelow;
        private Address[] urlAddresses;
        private List<Email> emails;
        private boolean replyToRead;
        private Email replyTo;
        private List<InetAddress> received;
        private List<Address> receivedAddresses;
        private String heloName;
        private String rdnsName;
        private boolean fromRead;
        private String fromDomain;
        private Set<String> dkimSigners;
        private SelectorInput selectorInput;

        Facts(ScanContext ctx, UrlExtractor extractor) {
            this.ctx = ctx;
            this.extractor = extractor;
            this.env = ctx.envelope();
            this.local = ctx.isLocal();
        }

        /** The client's address, or null when the MTA gave none (or no literal). */
        Address client() {
            if (!clientRead) {
                client = Address.of(IpAddresses.parse(env.clientIp()));
                clientRead = true;
            }
            return client;
        }

        MessageUrls urls() {
            if (urls == null) {
                urls = extractor.extract(ctx.message());
                labelsBelow = new String[urls.hosts().size()];
                urlAddresses = new Address[urls.hosts().size()];
            }
            return urls;
        }

        /** {@link #oneLabelBelow} of the i-th URL host (a host name, not an IP), null when there is none. */
        String labelBelow(int i) {
            String sub = labelsBelow[i];
            if (sub == null) {
                MessageUrls.UrlHost h = urls.hosts().get(i);
                String below = oneLabelBelow(h.host(), h.registrable());
                sub = below == null ? "" : below;
                labelsBelow[i] = sub;
            }
            return sub.isEmpty() ? null : sub;
        }

        /** The address of the i-th URL host (an IP host), null when it is no literal. */
        Address urlAddress(int i) {
            Address a = urlAddresses[i];
            if (a == null) {
                a = Address.of(IpAddresses.parse(urls.hosts().get(i).host()));
                urlAddresses[i] = a != null ? a : NO_ADDRESS;
            }
            return a == NO_ADDRESS ? null : a;
        }

        /** The message's e-mail addresses, one per {@link MessageUrls#emails()} entry (null where not an address). */
        List<Email> emails() {
            if (emails == null) {
                List<String> found = urls().emails();
                emails = new ArrayList<>(found.size());
                for (String e : found) {
                    emails.add(Email.of(e));
                }
            }
            return emails;
        }

        Email replyTo() {
            if (!replyToRead) {
                replyTo = ctx.message().firstHeader("Reply-To").flatMap(Facts::address).map(Email::of).orElse(null);
                replyToRead = true;
            }
            return replyTo;
        }

        List<Address> receivedAddresses() {
            if (receivedAddresses == null) {
                List<InetAddress> ips = receivedIps();
                receivedAddresses = new ArrayList<>(ips.size());
                for (InetAddress ip : ips) {
                    receivedAddresses.add(Address.of(ip));
                }
            }
            return receivedAddresses;
        }

        String heloName() {
            if (heloName == null) {
                heloName = Objects.requireNonNullElse(checkableName(env.helo()), "");
            }
            return heloName.isEmpty() ? null : heloName;
        }

        String rdnsName() {
            if (rdnsName == null) {
                rdnsName = Objects.requireNonNullElse(checkableName(env.clientHostname()), "");
            }
            return rdnsName.isEmpty() ? null : rdnsName;
        }

        /** A HELO or reverse name in ASCII when it is a host name with a public suffix (not an address), else null. */
        private static String checkableName(String name) {
            if (name == null || name.isBlank() || IpAddresses.parse(name) != null) {
                return null;
            }
            Optional<String> ascii = PublicSuffix.toAscii(name);
            if (ascii.isEmpty() || ascii.get().indexOf('.') < 0 || !PublicSuffix.hasPublicSuffix(ascii.get())) {
                return null;
            }
            return ascii.get();
        }

        MessageUrls urlsIfRead() {
            return urls;
        }

        /** The IP of each Received header (the bracketed one: what the receiving host saw), top (newest) first. */
        List<InetAddress> receivedIps() {
            if (received == null) {
                received = new ArrayList<>();
                for (String h : ctx.message().headerValues("Received")) {
                    InetAddress a = ReceivedIp.of(h);
                    if (a != null) {
                        received.add(a);
                    }
                    if (received.size() >= 32) {
                        break;
                    }
                }
            }
            return received;
        }

        /** The domain of the From: header's address, lower case, or null. */
        String fromDomain() {
            if (!fromRead) {
                fromDomain = ctx.message().firstHeader("From").flatMap(Facts::address)
                        .map(a -> a.substring(a.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))
                        .filter(d -> !d.isEmpty()).orElse(null);
                fromRead = true;
            }
            return fromDomain;
        }

        /** The d= domains of the message's DKIM-Signature headers (lower case, distinct, the first few). */
        Set<String> dkimSigners() {
            if (dkimSigners == null) {
                dkimSigners = readDkimSigners();
            }
            return dkimSigners;
        }

        private Set<String> readDkimSigners() {
            Set<String> out = new LinkedHashSet<>();
            for (String h : ctx.message().headerValues("DKIM-Signature")) {
                for (String tag : h.split(";")) {
                    int eq = tag.indexOf('=');
                    if (eq > 0 && tag.substring(0, eq).strip().equals("d")) {
                        String d = tag.substring(eq + 1).replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
                        if (!d.isEmpty()) {
                            out.add(d.endsWith(".") ? d.substring(0, d.length() - 1) : d);
                        }
                    }
                }
                if (out.size() >= MAX_DKIM_SIGNATURES) {
                    break;
                }
            }
            return out;
        }

        SelectorInput selectorInput() {
            if (selectorInput == null) {
                selectorInput = SelectorInput.of(ctx);
            }
            return selectorInput;
        }

        private static Optional<String> address(String s) {
            int lt = s.lastIndexOf('<');
            int gt = s.lastIndexOf('>');
            String addr = lt >= 0 && gt > lt ? s.substring(lt + 1, gt) : s.strip();
            return addr.indexOf('@') > 0 && addr.indexOf(' ') < 0 ? Optional.of(addr) : Optional.empty();
        }
    }

    /** The relaying host's address in a Received header: "from x (y [1.2.3.4])" or "[IPv6:...]". */
    static final class ReceivedIp {
        private ReceivedIp() {
        }

        static InetAddress of(String header) {
            int by = indexOfWord(header, "by");
            String from = by > 0 ? header.substring(0, by) : header;
            int i = 0;
            while ((i = from.indexOf('[', i)) >= 0) {
                int end = from.indexOf(']', i);
                if (end < 0) {
                    return null;
                }
                InetAddress a = IpAddresses.parse(from.substring(i, end + 1));
                if (a != null) {
                    return a;
                }
                i = end;
            }
            return null;
        }

        /**
         * Where {@code w} (lower-case ASCII letters) stands as a word of its own in {@code s}, in any case; -1 if
         * nowhere. Without a lower-cased copy of the header: this runs for every Received header.
         */
        private static int indexOfWord(String s, String w) {
            int last = s.length() - w.length() - 1; // a word needs a character after it
            char first = w.charAt(0);
            for (int i = 0; i <= last; i++) {
                if ((s.charAt(i) | 0x20) == first && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))
                        && s.regionMatches(true, i, w, 0, w.length()) && Character.isWhitespace(s.charAt(i + w.length()))) {
                    return i;
                }
            }
            return -1;
        }
    }
}
