package org.mailsift.scanner.auth.dmarc;

import java.util.Locale;

import com.google.common.net.InternetDomainName;

/**
 * The organizational domain (RFC 7489 section 3.2) from the Public Suffix List bundled with Guava (ICANN and
 * private sections, as Rspamd's list): the public suffix plus one label.
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid name for Guava (underscores...): fall back to the last two labels
        }
        int last = d.lastIndexOf('.');
        int before = last <= 0 ? -1 : d.lastIndexOf('.', last - 1);
        return before < 0 ? d : d.substring(before + 1);
    }

    /** Relaxed alignment: same organizational domain; strict: same name. */
    public static boolean aligned(String a, String b, boolean strict) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return strict ? x.equals(y) : of(x).equals(of(y));
    }
}
