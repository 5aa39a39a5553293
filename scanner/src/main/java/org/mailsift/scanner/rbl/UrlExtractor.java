package org.mailsift.scanner.rbl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.core.message.ParsedMessage;

/**
 * Finds the hosts and e-mail addresses a message points to, for DNS lists. Linear scans only (no backtracking
 * regexes), and bounded: at most {@code maxCandidates} URL candidates are examined and {@code maxHosts} distinct
 * registrable domains kept, so a message with 10,000 URLs costs no more than one with a few hundred.
 */
public final class UrlExtractor {
    /** TLDs that are also common file extensions: a bare "report.zip" in text is a file name, not a link. */
    private static final Set<String> FILE_LIKE_TLDS = Set.of("zip", "mov", "md", "sh", "py", "exe", "doc", "pdf", "txt", "rs", "pl", "cs", "js", "ts", "so", "gz", "tar", "png", "jpg", "gif");
    private static final int MAX_TEXT = 200_000;

    private final int maxCandidates;
    private final int maxHosts;

    public UrlExtractor(int maxCandidates, int maxHosts) {
        this.maxCandidates = maxCandidates;
        this.maxHosts = maxHosts;
    }

    public MessageUrls extract(ParsedMessage message) {
        Collector c = new Collector();
        for (ParsedMessage.TextPart part : message.textParts()) {
            if (part.html() != null) {
                HtmlLinks.find(clip(part.html()), c::url, maxCandidates);
            }
            Deobfuscation.Result clear = Deobfuscation.undo(clip(part.text()));
            c.obfuscated += clear.replaced();
            TextLinks.find(clear.text(), c);
        }
        return c.result();
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }

    /** Gathers candidates; package-private pieces feed it. */
    final class Collector {
        private final Map<String, int[]> counts = new LinkedHashMap<>();
        private final Map<String, MessageUrls.UrlHost> hosts = new LinkedHashMap<>();
        private final LinkedHashSet<String> emails = new LinkedHashSet<>();
        private int seen;
        private int malformed;
        int obfuscated;

        boolean full() {
            return seen >= maxCandidates;
        }

        /** A URL as written (absolute, scheme-relative "//host", or "mailto:"). */
        void url(String raw) {
            if (full() || raw == null) {
                return;
            }
            String u = Entities.decode(raw.strip());
            String lower = u.toLowerCase(Locale.ROOT);
            if (lower.startsWith("mailto:")) {
                String addr = u.substring(7);
                int q = addr.indexOf('?');
                email(PercentDecoding.decode(q >= 0 ? addr.substring(0, q) : addr));
                return;
            }
            String rest;
            int scheme = u.indexOf("://");
            if (lower.startsWith("//")) {
                rest = u.substring(2);
            } else if (scheme > 0 && scheme <= 10 && isScheme(lower.substring(0, scheme))) {
                String s = lower.substring(0, scheme);
                if (!(s.equals("http") || s.equals("https") || s.equals("ftp") || s.equals("hxxp") || s.equals("hxxps"))) {
                    return; // data:, javascript:, cid: and the like point nowhere DNS lists know
                }
                rest = u.substring(scheme + 3);
            } else if (scheme < 0 && (lower.startsWith("http:") || lower.startsWith("https:"))) {
                rest = u.substring(u.indexOf(':') + 1).replaceFirst("^[/\\\\]*", "");
            } else {
                return; // relative links
            }
            seen++;
            String host = hostOf(rest);
            if (host == null || !addHost(host)) {
                malformed++;
            }
        }

        /** A bare "www.example.com" or "example.com/path" found in text. */
        void bareHost(String host) {
            if (full()) {
                return;
            }
            seen++;
            addHost(host);
        }

        void email(String address) {
            String a = address.strip().toLowerCase(Locale.ROOT);
            int at = a.lastIndexOf('@');
            if (at <= 0 || at == a.length() - 1 || emails.size() >= maxHosts) {
                return;
            }
            Optional<String> domain = PublicSuffix.toAscii(a.substring(at + 1));
            if (domain.isPresent() && PublicSuffix.hasPublicSuffix(domain.get())) {
                emails.add(a.substring(0, at) + "@" + domain.get());
            }
        }

        private boolean addHost(String rawHost) {
            String host = PercentDecoding.decode(rawHost).strip();
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            String ip = IpHosts.parse(host);
            if (ip != null) {
                count(ip, new MessageUrls.UrlHost(ip, null, true, 0));
                return true;
            }
            Optional<String> ascii = PublicSuffix.toAscii(host);
            if (ascii.isEmpty()) {
                return false;
            }
            Optional<String> reg = PublicSuffix.registrableDomain(ascii.get());
            if (reg.isEmpty()) {
                return false;
            }
            count(reg.get(), new MessageUrls.UrlHost(ascii.get(), reg.get(), false, 0));
            return true;
        }

        private void count(String key, MessageUrls.UrlHost h) {
            counts.computeIfAbsent(key, k -> new int[1])[0]++;
            hosts.putIfAbsent(key, h);
        }

        MessageUrls result() {
            List<String> keys = new ArrayList<>(counts.keySet());
            // most linked first (stable: ties keep document order), so padding a message with junk links does not
            // push the domain it is really about past the limit
            keys.sort(Comparator.comparingInt((String k) -> -counts.get(k)[0]));
            List<MessageUrls.UrlHost> out = new ArrayList<>();
            for (String k : keys) {
                if (out.size() >= maxHosts) {
                    break;
                }
                MessageUrls.UrlHost h = hosts.get(k);
                out.add(new MessageUrls.UrlHost(h.host(), h.registrable(), h.ip(), counts.get(k)[0]));
            }
            return new MessageUrls(out, new ArrayList<>(emails), seen, malformed, obfuscated, counts.size());
        }
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The host of "user:pass@host:port/path?q#f" (backslashes count as slashes, as browsers read them). */
    static String hostOf(String rest) {
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                end = i;
                break;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String host = at >= 0 ? authority.substring(at + 1) : authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : null;
        }
        int colon = host.indexOf(':');
        host = colon >= 0 ? host.substring(0, colon) : host;
        return host.isEmpty() ? null : host;
    }

    /** True for TLDs that are usually file extensions when written without a scheme, www. or path. */
    static boolean fileLike(String host) {
        int dot = host.lastIndexOf('.');
        return dot >= 0 && FILE_LIKE_TLDS.contains(host.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** IP hosts: dotted IPv4, [IPv6], and the numeric disguises browsers accept (3232235777, 0xC0A80001, 0300.0250.0.1). */
    static final class IpHosts {
        private IpHosts() {
        }

        static String parse(String host) {
            if (host.startsWith("[") && host.endsWith("]")) {
                String inner = host.substring(1, host.length() - 1);
                if (inner.indexOf(':') >= 0 && inner.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
                    try {
                        return InetAddress.getByName(inner).getHostAddress();
                    } catch (UnknownHostException e) {
                        return null;
                    }
                }
                return null;
            }
            if (host.isEmpty() || Character.digit(host.charAt(0), 10) < 0) {
                return null; // the first part is no number (what number() would find, without splitting the name)
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length > 4) {
                return null;
            }
            long[] v = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                Long n = number(parts[i]);
                if (n == null) {
                    return null;
                }
                v[i] = n;
            }
            long addr;
            switch (parts.length) {
                case 4 -> {
                    for (long x : v) {
                        if (x > 255) {
                            return null;
                        }
                    }
                    addr = v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
                }
                case 1 -> {
                    if (v[0] > 0xffffffffL || parts[0].length() < 8) { // short numbers are not hosts anyone links
                        return null;
                    }
                    addr = v[0];
                }
                default -> {
                    return null;
                }
            }
            return (addr >>> 24 & 255) + "." + (addr >>> 16 & 255) + "." + (addr >>> 8 & 255) + "." + (addr & 255);
        }

        private static Long number(String s) {
            if (s.isEmpty() || s.length() > 12) {
                return null;
            }
            // checked digit by digit, not by catching parseLong's exception: every label of every host of every
            // link passes here ("www", "example"), and an exception with its stack trace costs microseconds
            String l = s.toLowerCase(Locale.ROOT);
            int radix = 10;
            String digits = l;
            if (l.startsWith("0x")) {
                radix = 16;
                digits = l.substring(2);
                if (digits.isEmpty()) {
                    return 0L;
                }
            } else if (l.length() > 1 && l.startsWith("0")) {
                radix = 8;
                digits = l.substring(1);
            }
            for (int i = 0; i < digits.length(); i++) {
                if (Character.digit(digits.charAt(i), radix) < 0) {
                    return null;
                }
            }
            return Long.parseLong(digits, radix);
        }
    }
}
