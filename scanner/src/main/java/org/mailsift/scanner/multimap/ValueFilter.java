package org.mailsift.scanner.multimap;

import java.util.ArrayList;
import java.util.List;

import com.google.common.net.InetAddresses;
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
            case "email:domain:tld" -> v -> addresses(v, a -> a.domain().isEmpty() ? "" : registrable(a.domain()));
            case "email:name" -> v -> addresses(v, MailAddress::name);
            case "ip_addr" -> v -> InetAddresses.isInetAddress(v.strip()) ? List.of(v.strip()) : List.of();
            default -> regexp(filter, 0);
        };
    }

    private static ValueFilter host(String filter) {
        return switch (filter) {
            case "tld" -> v -> List.of(registrable(v));
            case "top" -> v -> List.of(lastLabel(registrable(v)));
            default -> {
                if (!filter.startsWith("tld:regexp:")) {
                    throw new IllegalArgumentException("unknown filter '" + filter + "' (tld, top, tld:regexp:...)");
                }
                Regex p = Regex.of(RspamdRegex.compile(filter.substring("tld:regexp:".length())));
                yield v -> first(p, registrable(v), 0);
            }
        };
    }

    private static ValueFilter url(String filter) {
        return switch (filter) {
            case "tld" -> v -> orEmpty(parts(v).tld());
            case "top" -> v -> orEmpty(lastLabel(parts(v).tld()));
            case "full" -> List::of;
            case "path" -> v -> orEmpty(parts(v).path());
            case "query" -> v -> orEmpty(parts(v).query());
            case "host" -> v -> orEmpty(parts(v).host());
            default -> {
                if (filter.startsWith("full:regexp:")) {
                    Regex p = Regex.of(RspamdRegex.compile(filter.substring("full:regexp:".length())));
                    yield v -> first(p, v, 0);
                }
                if (filter.startsWith("tld:regexp:")) {
                    Regex p = Regex.of(RspamdRegex.compile(filter.substring("tld:regexp:".length())));
                    yield v -> first(p, parts(v).tld(), 0);
                }
                if (filter.startsWith("regexp:")) {
                    Regex p = Regex.of(RspamdRegex.compile(filter.substring("regexp:".length())));
                    yield v -> first(p, parts(v).host(), 0);
                }
                throw new IllegalArgumentException("unknown url filter '" + filter
                        + "' (tld, top, full, path, query, regexp:, tld:regexp:, full:regexp:)");
            }
        };
    }

    /** A URL's parts, once per message. */
    private static UrlParts parts(String v) {
        return MessageMemo.current().urlParts(v);
    }

    /** A host's registrable domain, once per message. */
    private static String registrable(String host) {
        return MessageMemo.current().registrable(host);
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
        Regex p = Regex.of(RspamdRegex.compile(filter.substring("regexp:".length())));
        int g = Math.min(group, p.pattern().groupCount());
        return v -> first(p, v, g);
    }

    private static List<String> first(Regex p, String v, int group) {
        String s = v == null ? null : p.first(v, group);
        return s == null ? List.of() : List.of(s);
    }

    private static List<String> addresses(String v, java.util.function.Function<MailAddress, String> part) {
        if (plainAddress(v)) {
            String s = part.apply(MailAddress.of(null, v, v));
            return s == null || s.isEmpty() ? List.of() : List.of(s);
        }
        List<String> out = new ArrayList<>();
        for (MailAddress a : MessageMemo.current().addresses(v)) {
            String s = part.apply(a);
            if (s != null && !s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** An envelope address or a bare one: nothing for the header parser to do. */
    private static boolean plainAddress(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '<' || c == '"' || c == ',' || c == '(' || c == ';' || c == ':' || c == '=' || c >= 128) {
                return false;
            }
        }
        return true;
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
