package org.mailsift.scanner.rbl;

import java.util.Locale;
import java.util.Set;

import org.mailsift.scanner.settings.CidrSet;

/** A list's {@code whitelist} map: networks for IP checks, domains (and their subdomains) for name checks. */
public record Whitelist(CidrSet networks, Set<String> domains) {
    public static final Whitelist EMPTY = new Whitelist(CidrSet.parse(java.util.List.of()), Set.of());

    public boolean containsIp(String ip) {
        return networks.contains(ip);
    }

    public boolean containsDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            if (domains.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }
}
