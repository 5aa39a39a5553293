package org.mailsift.scanner.selectors;

import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.common.net.InetAddresses;

/**
 * One Received header as Rspamd reads it -- the one reader of Received headers for multimap's {@code received}
 * rules and the {@code received} selector, parsed once per message ({@link #of}): {@code from_hostname} (the HELO),
 * {@code real_hostname} and {@code real_ip} / {@code from_ip} (the relay's reverse name and address, also parsed:
 * {@code realAddress}), {@code by_hostname}; the selector's table adds {@code proto}, {@code for},
 * {@code timestamp} (epoch seconds) and {@code raw}. Host names are in lower case; missing parts are null / absent.
 */
public record ReceivedHeader(String fromHostname, String realHostname, String realIp, String byHostname,
                             InetAddress realAddress, String raw) {
    static final List<String> FIELDS = List.of("from_hostname", "from_ip", "real_hostname", "real_ip", "by_hostname",
            "proto", "for", "timestamp", "raw");
    private static final int MAX = 2048;
    private static final Pattern WITH = Pattern.compile("(?i)\\bwith\\s+([A-Za-z0-9]+)");
    private static final Pattern FOR = Pattern.compile("(?i)\\bfor\\s+<?([^\\s<>;]+@[^\\s<>;]+)>?");

    /** The message's Received headers, newest first, parsed once per input (every rule and selector shares them). */
    public static List<ReceivedHeader> of(SelectorInput in) {
        return in.memo(ReceivedHeader.class, () -> {
            List<String> values = in.message().headerValues("Received");
            List<ReceivedHeader> out = new ArrayList<>(values.size());
            for (String v : values) {
                out.add(parse(v));
            }
            return List.copyOf(out);
        });
    }

    /** A host or address field by Rspamd's name, or null. */
    public String field(String name) {
        return switch (name) {
            case "from_hostname" -> fromHostname;
            case "real_hostname" -> realHostname;
            case "real_ip", "from_ip" -> realIp;
            case "by_hostname" -> byHostname;
            default -> null;
        };
    }

    /** Whether {@link #field} knows {@code name}. */
    public static boolean knownField(String name) {
        return switch (name) {
            case "from_hostname", "real_hostname", "real_ip", "from_ip", "by_hostname" -> true;
            default -> false;
        };
    }

    /** Rspamd's received table, as the {@code received} selector gives it. */
    Map<String, Object> table() {
        Map<String, Object> t = new LinkedHashMap<>();
        put(t, "from_hostname", fromHostname);
        put(t, "from_ip", realIp);
        put(t, "real_hostname", realHostname);
        put(t, "real_ip", realIp);
        put(t, "by_hostname", byHostname);
        String v = raw.length() > 4096 ? raw.substring(0, 4096) : raw;
        Matcher m = WITH.matcher(v);
        if (m.find()) {
            put(t, "proto", m.group(1).toLowerCase(Locale.ROOT));
        }
        m = FOR.matcher(v);
        if (m.find()) {
            put(t, "for", m.group(1));
        }
        int semi = v.lastIndexOf(';');
        if (semi >= 0) {
            String date = v.substring(semi + 1).replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip().replaceAll("\\s+", " ");
            try {
                put(t, "timestamp", Long.toString(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toEpochSecond()));
            } catch (DateTimeParseException e) {
                // no usable date: the field stays absent
            }
        }
        t.put("raw", raw);
        return t;
    }

    private static void put(Map<String, Object> t, String key, String value) {
        if (value != null && !value.isEmpty()) {
            t.put(key, value);
        }
    }

    /**
     * Reads the header as Rspamd 3.4 does (checked by RspamdPolicyDifferentialTest): only a header that starts with
     * {@code from} has a sending side; its first token is the HELO ({@code [address]} literals lose their brackets);
     * the parenthesized comment after it gives the reverse name and the address the receiving MTA saw (bracketed or
     * bare), which is real_ip when present, else the HELO's own address.
     */
    public static ReceivedHeader parse(String value) {
        String v = value.length() > MAX ? value.substring(0, MAX) : value;
        int semi = v.lastIndexOf(';');
        String lower = semi >= 0 ? v.substring(0, semi).toLowerCase(Locale.ROOT).stripLeading()
                : v.toLowerCase(Locale.ROOT).strip();
        int by = word(lower, "by");
        String fromPart = null;
        if (lower.startsWith("from") && lower.length() > 4 && Character.isWhitespace(lower.charAt(4))) {
            int end = by > 0 ? by : lower.length();
            fromPart = lower.substring(4, end).strip();
        }
        String byHost = by >= 0 ? firstToken(lower.substring(by + 2)) : null;
        String fromHost = null;
        String realHost = null;
        String realIp = null;
        if (fromPart != null && !fromPart.isEmpty()) {
            String heloIp = null;
            if (!fromPart.startsWith("(")) {
                fromHost = firstToken(fromPart);
                String bare = fromHost != null && fromHost.startsWith("[") && fromHost.endsWith("]")
                        ? address(fromHost.substring(1, fromHost.length() - 1)) : null;
                if (bare != null) {
                    fromHost = bare;
                }
                heloIp = fromHost != null && isAddress(fromHost) ? fromHost : null;
            }
            int paren = fromPart.indexOf('(');
            if (paren >= 0) {
                int close = fromPart.indexOf(')', paren);
                String comment = fromPart.substring(paren + 1, close < 0 ? fromPart.length() : close);
                int open = comment.indexOf('[');
                int shut = open < 0 ? -1 : comment.indexOf(']', open);
                if (shut > open) {
                    realIp = address(comment.substring(open + 1, shut));
                }
                String t = firstToken(comment);
                if (realIp == null && t != null) {
                    realIp = address(t);
                }
                if (t != null && !t.startsWith("[") && t.indexOf('.') > 0 && !t.contains("=")
                        && !isAddress(t)) {
                    realHost = t;
                }
            }
            if (realIp == null) {
                realIp = heloIp;
            }
        }
        return new ReceivedHeader(fromHost, realHost, realIp, byHost,
                realIp == null ? null : InetAddresses.forString(realIp), value);
    }

    /** The address in an address literal's text ({@code IPv6:} prefix allowed), or null when it is none. */
    private static String address(String text) {
        String ip = text.strip();
        if (ip.startsWith("ipv6:")) {
            ip = ip.substring(5);
        }
        return isAddress(ip) ? ip : null;
    }

    /** An IP address: Guava's check, after the cheap test that host names fail (IPv4 starts with a digit, IPv6 has ':'). */
    private static boolean isAddress(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.indexOf(':') >= 0) && InetAddresses.isInetAddress(s);
    }

    /** Index of {@code w} as a whole word (at the start or after white space), or -1. */
    private static int word(String s, String w) {
        int i = 0;
        while ((i = s.indexOf(w, i)) >= 0) {
            boolean startOk = i == 0 || Character.isWhitespace(s.charAt(i - 1));
            int e = i + w.length();
            boolean endOk = e < s.length() && Character.isWhitespace(s.charAt(e));
            if (startOk && endOk) {
                return i;
            }
            i = e;
        }
        return -1;
    }

    private static String firstToken(String s) {
        String t = s.strip();
        int end = 0;
        while (end < t.length() && !Character.isWhitespace(t.charAt(end)) && t.charAt(end) != '(' && t.charAt(end) != ')'
                && t.charAt(end) != ';') {
            end++;
        }
        return end == 0 ? null : t.substring(0, end);
    }
}
