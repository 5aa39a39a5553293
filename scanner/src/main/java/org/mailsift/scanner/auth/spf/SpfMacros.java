package org.mailsift.scanner.auth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** SPF macro expansion (RFC 7208 section 7) for domain-specs. */
final class SpfMacros {
    private SpfMacros() {
    }

    static String expand(String spec, SpfChecker.Context ctx, String domain) throws SpfChecker.PermError {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw new SpfChecker.PermError("bad macro");
            }
            char n = spec.charAt(++i);
            switch (n) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int end = spec.indexOf('}', i);
                    if (end < 0) {
                        throw new SpfChecker.PermError("unterminated macro");
                    }
                    out.append(macro(spec.substring(i + 1, end), ctx, domain));
                    i = end;
                }
                default -> throw new SpfChecker.PermError("bad macro %" + n);
            }
        }
        String r = out.toString();
        if (r.length() > 253) { // RFC 7208 7.3: drop labels from the left until it fits
            while (r.length() > 253 && r.indexOf('.') >= 0) {
                r = r.substring(r.indexOf('.') + 1);
            }
        }
        if (r.endsWith(".")) {
            r = r.substring(0, r.length() - 1);
        }
        if (!isDomain(r.toLowerCase(Locale.ROOT))) {
            throw new SpfChecker.PermError("not a domain: " + SpfChecker.shorten(r));
        }
        return r.toLowerCase(Locale.ROOT);
    }

    private static String macro(String body, SpfChecker.Context ctx, String domain) throws SpfChecker.PermError {
        if (body.isEmpty()) {
            throw new SpfChecker.PermError("empty macro");
        }
        char letter = Character.toLowerCase(body.charAt(0));
        String sender = ctx.sender();
        int at = sender.lastIndexOf('@');
        String value = switch (letter) {
            case 's' -> sender;
            case 'l' -> at <= 0 ? "postmaster" : sender.substring(0, at);
            case 'o' -> sender.substring(at + 1);
            case 'd' -> domain;
            case 'i' -> ipDotted(ctx.ip());
            case 'p' -> "unknown";
            case 'v' -> ctx.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> ctx.helo();
            default -> throw new SpfChecker.PermError("unknown macro letter " + letter);
        };
        int k = 1;
        int digits = 0;
        int start = k;
        while (k < body.length() && Character.isDigit(body.charAt(k))) {
            k++;
        }
        if (k > start) {
            if (k - start > 3) {
                throw new SpfChecker.PermError("bad macro digits");
            }
            digits = Integer.parseInt(body.substring(start, k));
            if (digits == 0) {
                throw new SpfChecker.PermError("macro keeps zero labels");
            }
        }
        boolean reverse = false;
        if (k < body.length() && Character.toLowerCase(body.charAt(k)) == 'r') {
            reverse = true;
            k++;
        }
        String delimiters = body.substring(k);
        if (!delimiters.matches("[.\\-+,/_=]*")) {
            throw new SpfChecker.PermError("bad macro delimiter");
        }
        if (delimiters.isEmpty()) {
            delimiters = ".";
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        if (reverse) {
            Collections.reverse(parts);
        }
        if (digits > 0 && digits < parts.size()) {
            parts = parts.subList(parts.size() - digits, parts.size());
        }
        return String.join(".", parts);
    }

    static String ipDotted(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(b[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 16; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b[i] & 0xf, 16));
            }
        }
        return sb.toString();
    }

    /** in-addr.arpa / ip6.arpa name of an address. */
    static String reverseName(InetAddress ip) {
        String[] p = ipDotted(ip).split("\\.");
        List<String> l = new ArrayList<>(List.of(p));
        Collections.reverse(l);
        return String.join(".", l) + (ip.getAddress().length == 4 ? ".in-addr.arpa" : ".ip6.arpa");
    }

    static boolean isDomain(String d) {
        if (d.isEmpty() || d.length() > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            if (i == d.length() || d.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63) {
                    return false;
                }
                labelStart = i + 1;
            } else if (d.charAt(i) <= 0x20 || d.charAt(i) >= 0x7f) {
                return false;
            }
        }
        return d.indexOf('.') > 0;
    }
}
