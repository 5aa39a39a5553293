package org.mailsift.scanner.bayes;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Registrable-domain approximation for URL metatokens: the last two labels, or three under the common two-level
 * public suffixes (co.uk, com.au...). A full Public Suffix List would be more exact; for a Bayes token only
 * consistency matters, and this rule is stable.
 */
final class Domains {
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "gen", "ltd", "plc", "sch", "nic", "mil");

    private Domains() {
    }

    static String hostOf(String url) {
        try {
            String u = url.trim();
            if (u.regionMatches(true, 0, "www.", 0, 4)) {
                u = "http://" + u;
            }
            String host = URI.create(u.replace(" ", "%20")).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            int s = url.indexOf("://");
            if (s < 0) {
                return null;
            }
            String rest = url.substring(s + 3);
            int end = 0;
            while (end < rest.length() && "/?#:@ ".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            return rest.substring(0, end).toLowerCase(Locale.ROOT);
        }
    }

    static String registrable(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.startsWith("[") || h.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return "ip";
        }
        String[] labels = h.split("\\.");
        if (labels.length < 2) {
            return h;
        }
        int take = 2;
        if (labels.length >= 3 && labels[labels.length - 1].length() == 2 && SECOND_LEVEL.contains(labels[labels.length - 2])) {
            take = 3;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = labels.length - take; i < labels.length; i++) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(labels[i]);
        }
        return sb.toString();
    }
}
