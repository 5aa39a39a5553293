package org.mailsift.scanner.rbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * Rspamd's rbl module: every configured DNS list, checked for the message's sending IP, Received IPs, HELO, reverse
 * name, URL and e-mail domains, all queries at once. Allow lists ({@code is_whitelist}) are read first: an element
 * they vouch for is not held against the sender by the block lists checking the same thing. A list that answers
 * with its "you are blocked" code is paused ({@link BlockedLists}) and never yields a listing. Without a resolver
 * the module stays silent.
 */
public final class RblModule implements AsyncRule {
    public static final String SYMBOLS_RESOURCE = "/org/mailsift/scanner/rbl/symbols.conf";
    static final String URL_DOMAINS_LIMIT = "URL_DOMAINS_LIMIT";
    static final String URL_MALFORMED = "URL_MALFORMED";
    static final String URL_OBFUSCATED = "URL_OBFUSCATED_TEXT";

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

    /** One name to look up in one list, and what it stands for. */
    private record Request(RblList list, String element, String query, Set<RblList.Check> checks) {
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
        List<CompletableFuture<Outcome>> pending = new ArrayList<>(requests.size());
        for (Request r : requests) {
            pending.add(dns.query(r.query, DnsRecordType.A).thenApply(a -> new Outcome(r, a)));
        }
        MessageUrls urls = facts.urlsIfRead();
        String resolver = dns.describe();
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Outcome> outcomes = pending.stream().map(CompletableFuture::join).toList();
            return c -> apply(c, outcomes, urls, resolver);
        });
    }

    // ---------------------------------------------------------------- what to ask

    private List<Request> requests(RblList l, Facts f) {
        if (l.excludeUsers() && f.env.isAuthenticated()) {
            return List.of();
        }
        if ((l.excludeLocal() || l.excludePrivateIps()) && f.clientIp != null
                && (l.excludeLocal() && f.local || l.excludePrivateIps() && IpAddresses.isLocal(f.clientIp))) {
            return List.of(); // as Rspamd: a list that excludes local senders skips them altogether
        }
        Map<String, Request> out = new LinkedHashMap<>();
        for (RblList.Check check : l.checks()) {
            switch (check) {
                case FROM -> ip(l, f.clientIp, check, out);
                case RECEIVED -> {
                    List<InetAddress> hops = f.receivedIps();
                    for (int i = 0; i < hops.size(); i++) {
                        if (inReceivedRange(l, i + 1, hops.size()) && !(l.excludePrivateIps() && IpAddresses.isLocal(hops.get(i)))) {
                            ip(l, hops.get(i), check, out);
                        }
                    }
                }
                case HELO -> name(l, f.env.helo(), false, check, out);
                case RDNS -> name(l, f.env.clientHostname(), false, check, out);
                case URLS, CONTENT_URLS, IMAGES -> {
                    int n = 0;
                    for (MessageUrls.UrlHost h : f.urls().hosts()) {
                        if (n >= l.requestsLimit()) {
                            break;
                        }
                        boolean added;
                        if (h.ip()) {
                            InetAddress a = IpAddresses.parse(h.host());
                            added = !l.noIp() && a != null && !IpAddresses.isLocal(a) && ip(l, a, check, out);
                        } else {
                            added = checkedName(l, h.registrable(), check, out);
                            // one label below the registrable domain too: lists such as SURBL and URIBL list
                            // subdomains of shared hosts (their test points test.surbl.org, test.uribl.com)
                            String sub = oneLabelBelow(h.host(), h.registrable());
                            if (added && sub != null) {
                                checkedName(l, sub, check, out);
                            }
                        }
                        n += added ? 1 : 0;
                    }
                }
                case EMAILS -> {
                    int n = 0;
                    for (String e : f.urls().emails()) {
                        if (n++ >= l.requestsLimit()) {
                            break;
                        }
                        email(l, e, check, out);
                    }
                }
                case REPLYTO -> f.replyTo().ifPresent(e -> email(l, e, check, out));
                case DKIM -> {
                    // needs the DKIM check's results (DKIM_TRACE); looked up once that check exists
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

    private static boolean ip(RblList l, InetAddress a, RblList.Check check, Map<String, Request> out) {
        if (a == null || (a instanceof Inet4Address ? !l.ipv4() : !l.ipv6())) {
            return false;
        }
        String text = a.getHostAddress();
        if (l.whitelist().containsIp(text)) {
            return false;
        }
        add(out, l, text, IpAddresses.reversed(a), check);
        return true;
    }

    private static boolean name(RblList l, String name, boolean hashed, RblList.Check check, Map<String, Request> out) {
        if (name == null || name.isBlank() || IpAddresses.parse(name) != null) {
            return false;
        }
        Optional<String> ascii = PublicSuffix.toAscii(name);
        if (ascii.isEmpty() || ascii.get().indexOf('.') < 0 || !PublicSuffix.hasPublicSuffix(ascii.get())
                || l.whitelist().containsDomain(ascii.get())) {
            return false;
        }
        String element = ascii.get();
        String label = l.hash() != null && hashed ? hash(l.hash(), element) : element;
        add(out, l, element, label, check);
        return true;
    }

    /** A name already in ASCII with a public suffix (from the URL extractor or the Public Suffix List). */
    private static boolean checkedName(RblList l, String name, RblList.Check check, Map<String, Request> out) {
        if (!l.whitelist().domains().isEmpty() && l.whitelist().containsDomain(name)) {
            return false;
        }
        add(out, l, name, name, check);
        return true;
    }

    private static void email(RblList l, String address, RblList.Check check, Map<String, Request> out) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return;
        }
        String user = address.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (l.emailsDomainonly()) {
            PublicSuffix.registrableDomain(domain).ifPresent(d -> checkedName(l, d, check, out));
            return;
        }
        if (l.whitelist().containsDomain(domain)) {
            return;
        }
        String delimiter = l.emailsDelimiter() != null ? l.emailsDelimiter() : l.hash() != null ? "@" : ".";
        String element = user + delimiter + domain;
        String label = l.hash() != null ? hash(l.hash(), element) : element;
        add(out, l, user + "@" + domain, label, check);
    }

    private static void add(Map<String, Request> out, RblList l, String element, String label, RblList.Check check) {
        String query = label + "." + l.zone();
        if (query.length() > 253) {
            return;
        }
        Request r = out.get(query);
        if (r == null) {
            Set<RblList.Check> checks = new LinkedHashSet<>();
            checks.add(check);
            out.put(query, new Request(l, element, query, checks));
        } else {
            r.checks.add(check);
        }
    }

    private static String hash(String algorithm, String s) {
        try {
            String jca = switch (algorithm) {
                case "sha1" -> "SHA-1";
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> "MD5";
            };
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- what the answers mean

    private void apply(ScanContext ctx, List<Outcome> outcomes, MessageUrls urls, String resolver) {
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
            if (!l.ignoreWhitelist() && o.request.checks.stream().allMatch(c -> vouched.contains(o.request.element + "|" + c.label()))) {
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

    /** Inserts what one answer means; returns the base symbols it matched. */
    private List<String> interpret(ScanContext ctx, Outcome o, String resolver) {
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
                insert(ctx, l, o.request, sym, record);
                blocked.block(l.zone(), record, sym, resolver, settings.blockedBackoff());
                return List.of(); // never a listing
            }
            if (symbols.isEmpty()) {
                if (l.returnCodes().isEmpty() && l.returnBits().isEmpty() || l.unknown()) {
                    insert(ctx, l, o.request, l.symbol(), record);
                    matched.add(l.symbol());
                }
                continue;
            }
            for (String s : symbols) {
                insert(ctx, l, o.request, s, record);
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

    private static void insert(ScanContext ctx, RblList l, Request r, String base, String record) {
        for (RblList.Check c : r.checks) {
            String option = r.element + ":" + c.label() + (base.equals(l.symbol()) ? ":" + record : "");
            ctx.insert(l.symbolFor(base, c), 1.0, List.of(option));
        }
    }

    // ---------------------------------------------------------------- what the message offers

    /** The message's checkable elements, read lazily (URL extraction only when a list wants URLs). */
    private static final class Facts {
        final Envelope env;
        final InetAddress clientIp;
        final boolean local;
        private final ScanContext ctx;
        private final UrlExtractor extractor;
        private MessageUrls urls;
        private List<InetAddress> received;

        Facts(ScanContext ctx, UrlExtractor extractor) {
            this.ctx = ctx;
            this.extractor = extractor;
            this.env = ctx.envelope();
            this.clientIp = IpAddresses.parse(env.clientIp());
            this.local = ctx.isLocal();
        }

        MessageUrls urls() {
            if (urls == null) {
                urls = extractor.extract(ctx.message());
            }
            return urls;
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

        Optional<String> replyTo() {
            Optional<String> v = ctx.message().firstHeader("Reply-To");
            if (v.isEmpty()) {
                return Optional.empty();
            }
            String s = v.get();
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

        private static int indexOfWord(String s, String w) {
            String l = s.toLowerCase(Locale.ROOT);
            int i = 0;
            while ((i = l.indexOf(w, i)) >= 0) {
                boolean before = i == 0 || Character.isWhitespace(l.charAt(i - 1));
                boolean after = i + w.length() < l.length() && Character.isWhitespace(l.charAt(i + w.length()));
                if (before && after) {
                    return i;
                }
                i += w.length();
            }
            return -1;
        }
    }
}
