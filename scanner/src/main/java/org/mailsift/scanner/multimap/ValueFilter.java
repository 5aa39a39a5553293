package org.mailsift.scanner.multimap;

import java.util.ArrayList;
import java.util.List;

import com.google.common.net.InetAddresses;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.scanner.rules.MailAddress;

/**
 * A multimap {@code filter}: turns an extracted value into the keys looked up in the map (none when the filter
 * drops it). Which filters exist depends on the rule type, as in Rspamd: e-mail filters for from / rcpt / header,
 * host filters for helo / hostname, URL parts for url, extension for filename, {@code regexp:} everywhere.
 */
@FunctionalInterface
interface ValueFilter {
    ValueFilter NONE = List::of;

    List<String> apply(String value);

    /** @throws IllegalArgumentException for a filter the type does not know, or a bad regexp */
    static ValueFilter of(MultimapType type, String filter) {
        if (filter == null) {
            return NONE;
        }
        return switch (type) {
            case FROM, RCPT, HEADER -> address(filter);
            case HELO, HOSTNAME -> host(filter);
            case URL -> url(filter);
            case FILENAME -> filename(filter);
            case SELECTOR -> regexp(filter, 1);
            case USER -> regexp(filter, 0);
            default -> throw new IllegalArgumentException("type " + type.key() + " takes no filter '" + filter + "'");
        };
    }

    private static ValueFilter address(String filter) {
        return switch (filter) {
            case "email", "email:addr" -> v -> addresses(v, MailAddress::addr);
            case "email:user" -> v -> addresses(v, a -> user(a.addr()));
            case "email:domain" -> v -> addresses(v, MailAddress::domain);
            case "email:domain:tld" -> v -> addresses(v, a -> a.domain().isEmpty() ? "" : PublicSuffix.organizationalDomain(a.domain()));
            case "email:name" -> v -> addresses(v, MailAddress::name);
            case "ip_addr" -> v -> InetAddresses.isInetAddress(v.strip()) ? List.of(v.strip()) : List.of();
            default -> regexp(filter, 0);
        };
    }

    private static ValueFilter host(String filter) {
        return switch (filter) {
            case "tld" -> v -> List.of(PublicSuffix.organizationalDomain(v));
            case "top" -> v -> List.of(lastLabel(PublicSuffix.organizationalDomain(v)));
            default -> {
                if (!filter.startsWith("tld:regexp:")) {
                    throw new IllegalArgumentException("unknown filter '" + filter + "' (tld, top, tld:regexp:...)");
                }
                Pattern p = RspamdRegex.compile(filter.substring("tld:regexp:".length()));
                yield v -> first(p, PublicSuffix.organizationalDomain(v), 0);
            }
        };
    }

    private static ValueFilter url(String filter) {
        return switch (filter) {
            case "tld" -> v -> orEmpty(UrlParts.of(v).tld());
            case "top" -> v -> orEmpty(lastLabel(UrlParts.of(v).tld()));
            case "full" -> List::of;
            case "path" -> v -> orEmpty(UrlParts.of(v).path());
            case "query" -> v -> orEmpty(UrlParts.of(v).query());
            case "host" -> v -> orEmpty(UrlParts.of(v).host());
            default -> {
                if (filter.startsWith("full:regexp:")) {
                    Pattern p = RspamdRegex.compile(filter.substring("full:regexp:".length()));
                    yield v -> first(p, v, 0);
                }
                if (filter.startsWith("tld:regexp:")) {
                    Pattern p = RspamdRegex.compile(filter.substring("tld:regexp:".length()));
                    yield v -> first(p, UrlParts.of(v).tld(), 0);
                }
                if (filter.startsWith("regexp:")) {
                    Pattern p = RspamdRegex.compile(filter.substring("regexp:".length()));
                    yield v -> first(p, UrlParts.of(v).host(), 0);
                }
                throw new IllegalArgumentException("unknown url filter '" + filter
                        + "' (tld, top, full, path, query, regexp:, tld:regexp:, full:regexp:)");
            }
        };
    }

    private static ValueFilter filename(String filter) {
        if (filter.equals("extension") || filter.equals("ext")) {
            return v -> {
                int dot = v.lastIndexOf('.');
                return dot < 0 || dot == v.length() - 1 ? List.of() : List.of(v.substring(dot + 1));
            };
        }
        return regexp(filter, 0);
    }

    /** {@code regexp:PATTERN}: the first match (or its first group, for selectors), nothing when it does not match. */
    private static ValueFilter regexp(String filter, int group) {
        if (!filter.startsWith("regexp:")) {
            throw new IllegalArgumentException("unknown filter '" + filter + "'");
        }
        Pattern p = RspamdRegex.compile(filter.substring("regexp:".length()));
        int g = Math.min(group, p.groupCount());
        return v -> first(p, v, g);
    }

    private static List<String> first(Pattern p, String v, int group) {
        if (v == null) {
            return List.of();
        }
        Matcher m = p.matcher(v);
        if (!m.find()) {
            return List.of();
        }
        String s = m.group(group);
        return s == null ? List.of() : List.of(s);
    }

    private static List<String> addresses(String v, java.util.function.Function<MailAddress, String> part) {
        List<String> out = new ArrayList<>();
        for (MailAddress a : MailAddress.parseList(v)) {
            String s = part.apply(a);
            if (s != null && !s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    static String user(String addr) {
        int at = addr.lastIndexOf('@');
        return at < 0 ? addr : addr.substring(0, at);
    }

    private static String lastLabel(String host) {
        if (host == null) {
            return null;
        }
        int dot = host.lastIndexOf('.');
        return dot < 0 ? host : host.substring(dot + 1);
    }

    private static List<String> orEmpty(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s);
    }
}
