package org.mailsift.scanner.multimap;

import java.net.InetAddress;
import java.util.Locale;

import com.google.common.net.InetAddresses;

/**
 * The parts of a Received header that multimap's {@code received} rules look at, named as Rspamd's fields:
 * {@code from_hostname} (the name the client gave), {@code real_hostname} (its reverse DNS name, in the parenthesis),
 * {@code real_ip} / {@code from_ip} (its address in brackets, also parsed: {@code realAddress}), {@code by_hostname}.
 * Missing parts are null.
 */
record ReceivedHeader(String fromHostname, String realHostname, String realIp, String byHostname,
                      InetAddress realAddress) {
    private static final int MAX = 2048;

    String field(String name) {
        return switch (name) {
            case "from_hostname" -> fromHostname;
            case "real_hostname" -> realHostname;
            case "real_ip", "from_ip" -> realIp;
            case "by_hostname" -> byHostname;
            default -> null;
        };
    }

    static boolean knownField(String name) {
        return switch (name) {
            case "from_hostname", "real_hostname", "real_ip", "from_ip", "by_hostname" -> true;
            default -> false;
        };
    }

    /**
     * Reads the header as Rspamd 3.4 does (checked by RspamdPolicyDifferentialTest): only a header that starts with
     * {@code from} has a sending side; its first token is the HELO ({@code [address]} literals lose their brackets);
     * the parenthesized comment after it gives the reverse name and the address the receiving MTA saw (bracketed or
     * bare), which is real_ip when present, else the HELO's own address.
     */
    static ReceivedHeader parse(String value) {
        String v = value.length() > MAX ? value.substring(0, MAX) : value;
        String lower = v.toLowerCase(Locale.ROOT).strip();
        int semi = lower.lastIndexOf(';');
        if (semi >= 0) {
            lower = lower.substring(0, semi);
        }
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
                heloIp = fromHost != null && InetAddresses.isInetAddress(fromHost) ? fromHost : null;
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
                        && !InetAddresses.isInetAddress(t)) {
                    realHost = t;
                }
            }
            if (realIp == null) {
                realIp = heloIp;
            }
        }
        return new ReceivedHeader(fromHost, realHost, realIp, byHost,
                realIp == null ? null : InetAddresses.forString(realIp));
    }

    /** The address in an address literal's text ({@code IPv6:} prefix allowed), or null when it is none. */
    private static String address(String text) {
        String ip = text.strip();
        if (ip.startsWith("ipv6:")) {
            ip = ip.substring(5);
        }
        return InetAddresses.isInetAddress(ip) ? ip : null;
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
