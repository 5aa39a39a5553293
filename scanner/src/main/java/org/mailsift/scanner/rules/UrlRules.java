package org.mailsift.scanner.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Suspicious URLs: links whose host is an IP address, including the numeric disguises Rspamd calls obscured
 * (a single decimal number, hex or octal octets).
 */
public final class UrlRules implements Rule {
    private static final Pattern DOTTED = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMERIC = Pattern.compile("(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+)){0,3}");

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(Symbols.def("R_SUSPICIOUS_URL", "url", 5.0,
                "A message has been identified to contain an obfuscated or suspicious URL"));
    }

    @Override
    public void check(ScanContext ctx) {
        for (String url : ctx.message().urls()) {
            String host = host(url);
            if (host != null && isIpHost(host)) {
                ctx.insert("R_SUSPICIOUS_URL", 1.0, List.of(host));
            }
        }
    }

    static String host(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        String rest = url.substring(scheme + 3);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String host = at >= 0 ? authority.substring(at + 1) : authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.indexOf(':');
        return (colon >= 0 ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
    }

    static boolean isIpHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[")) {
            return true;
        }
        return DOTTED.matcher(host).matches() || NUMERIC.matcher(host).matches() && host.length() >= 8;
    }
}
