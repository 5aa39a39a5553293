package org.mailsift.core.dns;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

import com.google.common.net.InternetDomainName;

/**
 * Registrable ("organizational", RFC 7489 §3.2) domains from the Public Suffix List, ICANN and private sections, as
 * Rspamd's TLD list: {@code www.example.co.uk} → {@code example.co.uk}, {@code foo.blogspot.com} →
 * {@code foo.blogspot.com}. Names are IDNA-converted to their ASCII (punycode) form first. The list is the one
 * compiled into Guava.
 */
public final class PublicSuffix {
    /** Answers by host: mail repeats the same domains all day, and a list lookup costs microseconds. Bounded. */
    private static final int MEMO_SIZE = 20_000;
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<String>> REGISTRABLE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> HAS_SUFFIX =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<String>> ASCII =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentHashMap<String, String> ORGANIZATIONAL =
            new java.util.concurrent.ConcurrentHashMap<>();

    private PublicSuffix() {
    }

    /** The registrable domain of {@code host} (ASCII, lower case), or empty for IPs, public suffixes and bad names. */
    public static Optional<String> registrableDomain(String host) {
        if (host == null || host.length() > 1024) {
            return Optional.empty();
        }
        return memo(REGISTRABLE, host, PublicSuffix::computeRegistrable);
    }

    private static <V> V memo(java.util.concurrent.ConcurrentHashMap<String, V> memo, String key,
                              java.util.function.Function<String, V> compute) {
        V known = memo.get(key);
        if (known != null) {
            return known;
        }
        V computed = compute.apply(key);
        if (memo.size() >= MEMO_SIZE) {
            memo.clear();
        }
        memo.put(key, computed);
        return computed;
    }

    private static Optional<String> computeRegistrable(String host) {
        Optional<String> ascii = toAscii(host);
        if (ascii.isEmpty()) {
            return Optional.empty();
        }
        try {
            InternetDomainName name = InternetDomainName.from(ascii.get());
            if (name.isUnderPublicSuffix()) {
                return Optional.of(name.topPrivateDomain().toString());
            }
            return Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * DMARC's organizational domain (RFC 7489 section 3.2), never empty: the registrable domain; a public suffix
     * itself stays as it is; a name the list does not know (or cannot parse) gives its last two labels. Lower case,
     * no final dot, in the form given (no punycode conversion). DMARC alignment and DKIM signing ask this for every message, so answers are memoized.
     */
    public static String organizationalDomain(String domain) {
        return memo(ORGANIZATIONAL, domain, PublicSuffix::computeOrganizational);
    }

    private static String computeOrganizational(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d); // Unicode labels stay as they are (the list has both)
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid name for Guava (underscores...): the last two labels below
        }
        int last = d.lastIndexOf('.');
        int before = last <= 0 ? -1 : d.lastIndexOf('.', last - 1);
        return before < 0 ? d : d.substring(before + 1);
    }

    /** Whether {@code host} ends in a known public suffix (a real TLD), i.e. looks like an Internet name. */
    public static boolean hasPublicSuffix(String host) {
        if (host == null || host.length() > 1024) {
            return false;
        }
        return memo(HAS_SUFFIX, host, PublicSuffix::computeHasSuffix);
    }

    private static boolean computeHasSuffix(String host) {
        Optional<String> ascii = toAscii(host);
        if (ascii.isEmpty()) {
            return false;
        }
        try {
            return InternetDomainName.from(ascii.get()).hasPublicSuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The ASCII form of a host name: lower case, final dot removed, Unicode labels converted to punycode
     * (UTS #46 dot variants included); empty when it is not a valid DNS name.
     */
    public static Optional<String> toAscii(String host) {
        if (host == null) {
            return Optional.empty();
        }
        return host.length() > 1024 ? computeAscii(host) : memo(ASCII, host, PublicSuffix::computeAscii);
    }

    private static Optional<String> computeAscii(String host) {
        String h = host.strip().replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 253 * 4) {
            return Optional.empty();
        }
        try {
            String ascii = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            if (ascii.isEmpty() || ascii.length() > 253 || ascii.startsWith(".") || ascii.contains("..")) {
                return Optional.empty();
            }
            for (int i = 0; i < ascii.length(); i++) {
                char c = ascii.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                    return Optional.empty();
                }
            }
            return Optional.of(ascii);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
