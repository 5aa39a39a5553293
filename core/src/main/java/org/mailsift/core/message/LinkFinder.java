package org.mailsift.core.message;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.dns.PublicSuffix;

/**
 * The finder of every host and address a message links to ({@link Link#FOUND}): link attributes of every HTML tag,
 * words of the text with a scheme, bare host names, e-mail addresses, after undoing {@code hxxp} / {@code [.]}
 * obfuscation; hosts normalized (percent-decoded, IDN to punycode, numeric disguises to addresses) with their
 * registrable domain. Linear scans only (no backtracking regexes) and bounded: it stops after {@code maxCandidates}
 * URL candidates. A host written several times in a message is normalized once.
 */
final class LinkFinder {
    /** TLDs that are also common file extensions: a bare "report.zip" in text is a file name, not a link. */
    private static final Set<String> FILE_LIKE_TLDS = Set.of("zip", "mov", "md", "sh", "py", "exe", "doc", "pdf", "txt", "rs", "pl", "cs", "js", "ts", "so", "gz", "tar", "png", "jpg", "gif");
    /** Characters of a text part read for links. */
    static final int MAX_TEXT = 200_000;

    private final int maxCandidates;
    private final List<Link> out;
    /** Each raw host's normalized form in this message (null value: unreadable). */
    private final Map<String, Host> hosts = new HashMap<>();
    private int seen;
    private int obfuscations;
    private boolean truncated;
    /** The text word being read, and the part's de-obfuscation, for {@link Link#OBSCURED}. */
    private int wordStart;
    private int wordEnd;
    private Deobfuscation.Result clear;
    /** The HTML attribute being read (-1 in text), and whether its tag is an img. */
    private int htmlIndex = -1;
    private boolean image;

    private record Host(String host, String registrable, boolean ip) {
    }

    LinkFinder(int maxCandidates, List<Link> out) {
        this.maxCandidates = maxCandidates;
        this.out = out;
    }

    /**
     * Finds the links of one text part, appending them in document order: its HTML attributes, then its text.
     *
     * @return the size of the output list after the part's HTML, before its text
     */
    int part(ParsedMessage.TextPart part) {
        if (part.html() != null) {
            HtmlLinks.find(clip(part.html()), this::attribute, maxCandidates);
            htmlIndex = -1;
            image = false;
        }
        int htmlEnd = out.size();
        clear = Deobfuscation.undo(clip(part.text()));
        obfuscations += clear.replaced();
        TextLinks.find(clear.text(), this);
        clear = null;
        return htmlEnd;
    }

    /** The hxxp / [.] obfuscations undone in the text parts (all of them, whatever the bound). */
    int obfuscations() {
        return obfuscations;
    }

    /** Whether the candidate bound stopped the search (links may be missing). */
    boolean truncated() {
        return truncated;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }

    boolean full() {
        if (seen >= maxCandidates) {
            truncated = true;
            return true;
        }
        return false;
    }

    private void attribute(String value, int index, boolean img) {
        htmlIndex = index;
        image = img;
        url(value);
    }

    /** TextLinks: the next word read is text[start, end). */
    void word(int start, int end) {
        wordStart = start;
        wordEnd = end;
    }

    /** Where the current link comes from, as flags. */
    private int origin() {
        if (htmlIndex >= 0) {
            return Link.ATTRIBUTE | (image ? Link.IMAGE : 0);
        }
        return Link.WORD | (clear != null && clear.replaced() > 0 && clear.replacedIn(wordStart, wordEnd) ? Link.OBSCURED : 0);
    }

    /** A URL as written (absolute, scheme-relative "//host", or "mailto:"). */
    void url(String raw) {
        if (full() || raw == null) {
            return;
        }
        String u = Entities.decode(raw.strip());
        String rest;
        if (startsWithAscii(u, "mailto:")) {
            String addr = u.substring(7);
            int q = addr.indexOf('?');
            email(PercentDecoding.decode(q >= 0 ? addr.substring(0, q) : addr), origin());
            return;
        }
        int scheme = u.indexOf("://");
        if (u.startsWith("//")) {
            rest = u.substring(2);
        } else if (scheme > 0 && scheme <= 10 && linkScheme(u, scheme)) {
            rest = u.substring(scheme + 3);
        } else if (scheme < 0 && (startsWithAscii(u, "http:") || startsWithAscii(u, "https:"))) {
            rest = stripSlashes(u, u.indexOf(':') + 1);
        } else {
            return; // relative links; data:, javascript:, cid: and the like point nowhere DNS lists know
        }
        seen++;
        String host = hostOf(rest);
        add(u, origin(), host == null ? null : host(host), htmlIndex);
    }

    /** A bare "www.example.com" or "example.com/path" found in text. */
    void bareHost(String host) {
        if (full()) {
            return;
        }
        seen++;
        add(host, Link.SCHEMALESS | (origin() & Link.OBSCURED), host(host), -1);
    }

    /** An address written in text. */
    void email(String address) {
        email(address, origin() & Link.OBSCURED);
    }

    private void email(String address, int origin) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        int flags = origin | Link.EMAIL;
        if (at <= 0 || at == a.length() - 1) {
            out.add(new Link(a, flags | Link.MALFORMED, null, null, htmlIndex));
            return;
        }
        String domain = a.substring(at + 1);
        Host h = hosts.computeIfAbsent("@" + domain, k -> {
            Optional<String> ascii = PublicSuffix.toAscii(domain);
            return ascii.isPresent() && PublicSuffix.hasPublicSuffix(ascii.get()) ? new Host(ascii.get(), null, false) : null;
        });
        if (h == null) {
            out.add(new Link(a, flags | Link.MALFORMED, null, null, htmlIndex));
        } else {
            out.add(new Link(a.substring(0, at) + "@" + h.host, flags, h.host, null, htmlIndex));
        }
    }

    private void add(String url, int flags, Host h, int index) {
        if (h == null) {
            out.add(new Link(url, flags | Link.MALFORMED, null, null, index));
        } else {
            out.add(new Link(url, flags | (h.ip ? Link.NUMERIC : 0), h.host, h.registrable, index));
        }
    }

    /** The normalized form of a raw host, once per message. */
    private Host host(String rawHost) {
        Host h = hosts.get(rawHost);
        if (h == null && !hosts.containsKey(rawHost)) {
            h = normalize(rawHost);
            hosts.put(rawHost, h);
        }
        return h;
    }

    private static Host normalize(String rawHost) {
        String host = PercentDecoding.decode(rawHost).strip();
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String ip = IpHosts.parse(host);
        if (ip != null) {
            return new Host(ip, null, true);
        }
        Optional<String> ascii = PublicSuffix.toAscii(host);
        if (ascii.isEmpty()) {
            return null;
        }
        Optional<String> reg = PublicSuffix.registrableDomain(ascii.get());
        return reg.map(r -> new Host(ascii.get(), r, false)).orElse(null);
    }

    private static String stripSlashes(String u, int from) {
        int i = from;
        while (i < u.length() && (u.charAt(i) == '/' || u.charAt(i) == '\\')) {
            i++;
        }
        return u.substring(i);
    }

    /** The schemes DNS lists read: http, https, ftp and their hxxp spellings, in any case. */
    private static boolean linkScheme(String u, int end) {
        return switch (end) {
            case 3 -> startsWithAscii(u, "ftp");
            case 4 -> startsWithAscii(u, "http") || startsWithAscii(u, "hxxp");
            case 5 -> startsWithAscii(u, "https") || startsWithAscii(u, "hxxps");
            default -> false;
        };
    }

    /**
     * Whether s starts with the lower-case ASCII word in any ASCII case. Not regionMatches(true, ...), which also
     * takes the long s or the dotted capital I for ASCII letters: a browser does not, nor did this finder.
     */
    static boolean startsWithAscii(String s, String word) {
        if (s.length() < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = s.charAt(i);
            if (c != word.charAt(i) && !(c >= 'A' && c <= 'Z' && (char) (c | 0x20) == word.charAt(i))) {
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
        int at = rest.lastIndexOf('@', end - 1);
        int start = at >= 0 ? at + 1 : 0;
        if (start < end && rest.charAt(start) == '[') {
            int close = rest.indexOf(']', start);
            return close > 0 && close < end ? rest.substring(start, close + 1) : null;
        }
        int colon = rest.indexOf(':', start);
        int stop = colon >= 0 && colon < end ? colon : end;
        return stop > start ? rest.substring(start, stop) : null;
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
