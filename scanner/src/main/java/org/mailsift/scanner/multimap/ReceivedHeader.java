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

    static ReceivedHeader parse(String value) {
        String v = value.length() > MAX ? value.substring(0, MAX) : value;
        String lower = v.toLowerCase(Locale.ROOT);
        int semi = lower.lastIndexOf(';');
        if (semi >= 0) {
            lower = lower.substring(0, semi);
        }
        int by = word(lower, "by");
        String fromPart = null;
        int from = word(lower, "from");
        if (from >= 0) {
            int end = by > from ? by : lower.length();
            fromPart = lower.substring(from + 4, end).strip();
        }
        String byHost = by >= 0 ? firstToken(lower.substring(by + 2)) : null;
        String fromHost = null;
        String realHost = null;
        String realIp = null;
        if (fromPart != null && !fromPart.isEmpty()) {
            fromHost = fromPart.startsWith("(") ? null : firstToken(fromPart);
            int open = fromPart.indexOf('[');
            int close = open < 0 ? -1 : fromPart.indexOf(']', open);
            if (close > open) {
                String ip = fromPart.substring(open + 1, close).strip();
                if (ip.startsWith("ipv6:")) {
                    ip = ip.substring(5);
                }
                if (InetAddresses.isInetAddress(ip)) {
                    realIp = ip;
                }
            }
            int paren = fromPart.indexOf('(');
            if (paren >= 0) {
                String inner = fromPart.substring(paren + 1);
                String t = firstToken(inner);
                if (t != null && !t.startsWith("[") && t.indexOf('.') > 0 && !t.contains("=")) {
                    realHost = t;
                }
            }
            if (realIp == null && fromHost != null) {
                String bare = fromHost.startsWith("[") && fromHost.endsWith("]")
                        ? fromHost.substring(1, fromHost.length() - 1) : fromHost;
                if (InetAddresses.isInetAddress(bare)) {
                    realIp = bare;
                }
            }
        }
        return new ReceivedHeader(fromHost, realHost, realIp, byHost,
                realIp == null ? null : InetAddresses.forString(realIp));
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
