package org.mailsift.scanner.auth.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.mailsift.scanner.auth.AuthDns;
import org.mailsift.scanner.auth.RecordMemo;
import org.mailsift.scanner.auth.spf.SpfResult.Result;

/**
 * SPF's check_host() (RFC 7208): records, mechanisms, modifiers and macros, the 10 DNS-mechanism limit, the 2
 * void-lookup limit, at most 10 MX and 10 PTR names per mechanism. Lookups wait on the shared resolver, whose answers
 * all complete by the message's DNS deadline, so a check never outlives the budget; run it on a virtual thread.
 */
public final class SpfChecker {
    static final int MAX_DNS_MECHANISMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES_PER_MECHANISM = 10;
    // compiled once: String.matches compiles its pattern on every call, and every message walks a record
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern MODIFIER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern IP_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

    private final AuthDns dns;
    private int lookups;
    private int voids;

    private SpfChecker(AuthDns dns) {
        this.dns = dns;
    }

    /** Permanent errors found while evaluating: they end the evaluation. */
    static final class PermError extends Exception {
        PermError(String m) {
            super(m, null, false, false);
        }
    }

    static final class TempError extends Exception {
        TempError(String m) {
            super(m, null, false, false);
        }
    }

    /**
     * Checks the client IP against MAIL FROM, or the HELO name for the null sender (RFC 7208 section 2.4).
     * @return null when there is nothing to check (no IP, or no usable identity)
     */
    public static SpfResult check(AuthDns dns, String clientIp, String mailFrom, String helo) {
        InetAddress ip = parseIp(clientIp);
        if (ip == null) {
            return null;
        }
        boolean useHelo = mailFrom == null || mailFrom.isEmpty() || mailFrom.indexOf('@') < 0 && mailFrom.equals("<>");
        String sender;
        String domain;
        if (useHelo) {
            if (helo == null || helo.isEmpty() || helo.startsWith("[")) {
                return null;
            }
            domain = helo.toLowerCase(Locale.ROOT);
            sender = "postmaster@" + domain;
        } else {
            int at = mailFrom.lastIndexOf('@');
            domain = (at < 0 ? mailFrom : mailFrom.substring(at + 1)).toLowerCase(Locale.ROOT);
            sender = at < 0 ? "postmaster@" + mailFrom : mailFrom;
        }
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        SpfChecker c = new SpfChecker(dns);
        Context ctx = new Context(ip, sender, helo == null ? "unknown" : helo);
        if (!SpfMacros.isDomain(domain)) {
            return new SpfResult(Result.NONE, sender, domain, useHelo, "not a domain");
        }
        try {
            Evaluation e = c.checkHost(ctx, domain, 0);
            return new SpfResult(e.result, sender, domain, useHelo, e.reason);
        } catch (PermError e) {
            return new SpfResult(Result.PERMERROR, sender, domain, useHelo, e.getMessage());
        } catch (TempError e) {
            return new SpfResult(Result.TEMPERROR, sender, domain, useHelo, e.getMessage());
        }
    }

    record Context(InetAddress ip, String sender, String helo) {
    }

    private static final RecordMemo<Terms> TERMS = new RecordMemo<>(10_000);
    private static final RecordMemo<Object> CIDRS = new RecordMemo<>(20_000);

    /** A record's mechanisms in order and its redirect= (or null), or the permanent error it makes. */
    record Terms(List<String> mechanisms, String redirect, String error) {
        static Terms parse(String record) {
            String[] terms = SPACES.split(record.substring(6).trim());
            String redirect = null;
            List<String> mechanisms = new ArrayList<>();
            for (String t : terms) {
                if (t.isEmpty()) {
                    continue;
                }
                int eq = t.indexOf('=');
                int colon = t.indexOf(':');
                if (eq > 0 && (colon < 0 || eq < colon) && MODIFIER_NAME.matcher(t.substring(0, eq)).matches()) {
                    String name = t.substring(0, eq).toLowerCase(Locale.ROOT);
                    if (name.equals("redirect")) {
                        if (redirect != null) {
                            return new Terms(List.of(), null, "redirect= twice");
                        }
                        redirect = t.substring(eq + 1);
                    } else if (name.equals("exp") && t.length() == 4) {
                        return new Terms(List.of(), null, "empty exp=");
                    }
                    continue; // exp= and unknown modifiers are ignored
                }
                mechanisms.add(t);
            }
            return new Terms(List.copyOf(mechanisms), redirect, null);
        }
    }

    record Evaluation(Result result, String reason) {
    }

    Evaluation checkHost(Context ctx, String domain, int depth) throws PermError, TempError {
        if (depth > MAX_DNS_MECHANISMS) {
            throw new PermError("include depth exceeded");
        }
        AuthDns.Answer answer = dns.txt(domain).join();
        if (answer.status() == AuthDns.Status.TEMPFAIL) {
            throw new TempError("DNS error looking up " + domain);
        }
        List<String> spf = new ArrayList<>();
        for (String r : answer.records()) {
            String l = r.toLowerCase(Locale.ROOT);
            if (l.equals("v=spf1") || l.startsWith("v=spf1 ")) {
                spf.add(r);
            }
        }
        if (spf.isEmpty()) {
            return new Evaluation(Result.NONE, "no SPF record");
        }
        if (spf.size() > 1) {
            throw new PermError("more than one SPF record for " + domain);
        }
        String record = spf.get(0);
        if (record.length() > 4096) {
            throw new PermError("SPF record too long");
        }
        Terms parsed = TERMS.get(record, Terms::parse);
        if (parsed.error() != null) {
            throw new PermError(parsed.error());
        }
        String redirect = parsed.redirect();
        List<String> mechanisms = parsed.mechanisms();
        for (String m : mechanisms) {
            Result q = Result.PASS;
            char first = m.charAt(0);
            String mech = m;
            switch (first) {
                case '+' -> mech = m.substring(1);
                case '-' -> { q = Result.FAIL; mech = m.substring(1); }
                case '~' -> { q = Result.SOFTFAIL; mech = m.substring(1); }
                case '?' -> { q = Result.NEUTRAL; mech = m.substring(1); }
                default -> { }
            }
            if (matches(ctx, domain, mech, depth)) {
                return new Evaluation(q, mech);
            }
        }
        if (redirect != null) {
            countLookup();
            String target = SpfMacros.expand(redirect, ctx, domain);
            Evaluation e = checkHost(ctx, target, depth + 1);
            if (e.result == Result.NONE) {
                throw new PermError("redirect to a domain without SPF: " + target);
            }
            return e;
        }
        return new Evaluation(Result.NEUTRAL, "default");
    }

    private boolean matches(Context ctx, String domain, String mech, int depth) throws PermError, TempError {
        String lower = mech.toLowerCase(Locale.ROOT);
        String name = lower;
        String arg = null;
        int sep = indexOfAny(mech, ":/");
        if (sep >= 0) {
            name = lower.substring(0, sep);
            arg = mech.substring(sep + (mech.charAt(sep) == ':' ? 1 : 0));
        }
        switch (name) {
            case "all" -> {
                if (arg != null) {
                    throw new PermError("bad all");
                }
                return true;
            }
            case "ip4", "ip6" -> {
                if (arg == null || !mech.contains(":")) {
                    throw new PermError("ip mechanism without an address");
                }
                // parsed once per distinct address (records come from the cache; big senders list dozens)
                Object cidr = CIDRS.get((name.equals("ip6") ? "6" : "4") + arg, k -> {
                    try {
                        return Cidr.parse(k.substring(1), k.charAt(0) == '6');
                    } catch (PermError e) {
                        return e.getMessage();
                    }
                });
                if (cidr instanceof String error) {
                    throw new PermError(error);
                }
                return ((Cidr) cidr).contains(ctx.ip());
            }
            case "include" -> {
                if (arg == null || arg.isEmpty()) {
                    throw new PermError("include without a domain");
                }
                countLookup();
                Evaluation e = checkHost(ctx, SpfMacros.expand(arg, ctx, domain), depth + 1);
                return switch (e.result) {
                    case PASS -> true;
                    case FAIL, SOFTFAIL, NEUTRAL -> false;
                    case TEMPERROR -> throw new TempError(e.reason);
                    case PERMERROR, NONE -> throw new PermError("include of " + arg + ": " + e.reason);
                };
            }
            case "a" -> {
                countLookup();
                DomainSpec ds = DomainSpec.parse(arg, ctx, domain);
                return addressMatch(ctx.ip(), ds.domain, ds);
            }
            case "mx" -> {
                countLookup();
                DomainSpec ds = DomainSpec.parse(arg, ctx, domain);
                AuthDns.Answer mx = checked(dns.mx(ds.domain).join());
                if (mx.records().size() > MAX_NAMES_PER_MECHANISM) {
                    throw new PermError("more than 10 MX records");
                }
                for (String host : mx.records()) {
                    if (addressMatch(ctx.ip(), host, ds)) {
                        return true;
                    }
                }
                return false;
            }
            case "ptr" -> {
                countLookup();
                String target = arg == null ? domain : SpfMacros.expand(arg, ctx, domain);
                for (String host : validatedNames(ctx.ip())) {
                    if (host.equals(target) || host.endsWith("." + target)) {
                        return true;
                    }
                }
                return false;
            }
            case "exists" -> {
                countLookup();
                if (arg == null || arg.isEmpty()) {
                    throw new PermError("exists without a domain");
                }
                return !checked(dns.a(SpfMacros.expand(arg, ctx, domain)).join()).records().isEmpty();
            }
            default -> throw new PermError("unknown mechanism " + shorten(mech));
        }
    }

    /** RFC 7208 section 5.5: PTR names whose A/AAAA include the IP (at most 10 names); errors just mean no match. */
    private List<String> validatedNames(InetAddress ip) {
        List<String> out = new ArrayList<>();
        AuthDns.Answer ptr = dns.ptr(SpfMacros.reverseName(ip)).join();
        int n = 0;
        for (String host : ptr.records()) {
            if (++n > MAX_NAMES_PER_MECHANISM) {
                break;
            }
            AuthDns.Answer a = (ip.getAddress().length == 4 ? dns.a(host) : dns.aaaa(host)).join();
            for (String addr : a.records()) {
                if (ip.equals(parseIp(addr))) {
                    out.add(host.toLowerCase(Locale.ROOT));
                    break;
                }
            }
        }
        return out;
    }

    private boolean addressMatch(InetAddress ip, String host, DomainSpec ds) throws PermError, TempError {
        boolean v4 = ip.getAddress().length == 4;
        AuthDns.Answer a = checked((v4 ? dns.a(host) : dns.aaaa(host)).join());
        for (String addr : a.records()) {
            InetAddress x = parseIp(addr);
            if (x != null && (v4 ? new Cidr(x, ds.cidr4) : new Cidr(x, ds.cidr6)).contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** Counts void lookups (RFC 7208 section 4.6.4) and turns DNS errors into temperror. */
    private AuthDns.Answer checked(AuthDns.Answer a) throws PermError, TempError {
        if (a.status() == AuthDns.Status.TEMPFAIL) {
            throw new TempError("DNS error");
        }
        if (a.status() == AuthDns.Status.NONE && ++voids > MAX_VOID_LOOKUPS) {
            throw new PermError("too many void DNS lookups");
        }
        return a;
    }

    private void countLookup() throws PermError {
        if (++lookups > MAX_DNS_MECHANISMS) {
            throw new PermError("too many DNS lookups");
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static final RecordMemo<Object> ADDRESSES = new RecordMemo<>(20_000);
    private static final Object NOT_AN_ADDRESS = new Object();

    /** An address literal (A/AAAA answers, the client's address), parsed once per text. */
    static InetAddress parseIp(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return ADDRESSES.get(s, k -> {
            InetAddress a = parseIpNow(k);
            return a == null ? NOT_AN_ADDRESS : a;
        }) instanceof InetAddress a ? a : null;
    }

    private static InetAddress parseIpNow(String s) {
        String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (v.regionMatches(true, 0, "IPv6:", 0, 5)) {
            v = v.substring(5);
        }
        if (!IP_CHARS.matcher(v).matches() || v.indexOf(':') < 0 && !DOTTED_QUAD.matcher(v).matches()) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(v); // a literal: no lookup
            if (a instanceof java.net.Inet6Address && a.getAddress().length == 16 && isV4Mapped(a.getAddress())) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(a.getAddress(), 12, 16));
            }
            return a;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** "a" / "mx" arguments: [":" domain-spec] ["/" ip4-cidr] ["//" ip6-cidr]. */
    record DomainSpec(String domain, int cidr4, int cidr6) {
        static DomainSpec parse(String arg, Context ctx, String current) throws PermError {
            if (arg == null) {
                return new DomainSpec(current, 32, 128);
            }
            String spec = arg;
            int c4 = 32;
            int c6 = 128;
            int dbl = spec.indexOf("//");
            if (dbl >= 0) {
                c6 = prefix(spec.substring(dbl + 2), 128);
                spec = spec.substring(0, dbl);
            }
            int single = spec.lastIndexOf('/');
            if (single >= 0) {
                c4 = prefix(spec.substring(single + 1), 32);
                spec = spec.substring(0, single);
            }
            String domain = spec.isEmpty() ? current : SpfMacros.expand(spec, ctx, current);
            return new DomainSpec(domain, c4, c6);
        }

        private static int prefix(String s, int max) throws PermError {
            if (!PREFIX_LENGTH.matcher(s).matches()) {
                throw new PermError("bad CIDR length");
            }
            int p = Integer.parseInt(s);
            if (p > max || s.length() > 1 && s.charAt(0) == '0') {
                throw new PermError("bad CIDR length");
            }
            return p;
        }
    }

    /** An address with a prefix length. */
    record Cidr(InetAddress net, int bits) {
        static Cidr parse(String s, boolean v6) throws PermError {
            int slash = s.indexOf('/');
            InetAddress a = parseIp(slash < 0 ? s : s.substring(0, slash));
            int max = v6 ? 128 : 32;
            if (a == null || (a.getAddress().length == 16) != v6) {
                throw new PermError("bad address in ip" + (v6 ? "6" : "4") + ":" + shorten(s));
            }
            int bits = max;
            if (slash >= 0) {
                bits = DomainSpec.prefix(s.substring(slash + 1), max);
            }
            return new Cidr(a, bits);
        }

        boolean contains(InetAddress ip) {
            byte[] n = net.getAddress();
            byte[] x = ip.getAddress();
            if (n.length != x.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((n[i / 8] & mask) != (x[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
