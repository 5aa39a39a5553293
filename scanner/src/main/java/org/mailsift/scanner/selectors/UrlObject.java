package org.mailsift.scanner.selectors;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.dns.PublicSuffix;

/**
 * A URL (or an e-mail address found in the text) as Rspamd's url object: {@code get_host}, {@code get_tld} (the
 * registrable domain), {@code get_text}, {@code get_scheme}, {@code get_user}, {@code get_path}, {@code get_query},
 * {@code get_fragment}, {@code get_port}. Parsed leniently: mail carries malformed links.
 */
final class UrlObject implements SelectorObject {
    private static final Pattern URL = Pattern.compile(
            "^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://)?(?:([^@/?#]*)@)?(\\[[^\\]]*]|[^:/?#]*)(?::(\\d{1,5}))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$");
    private final String text;
    private final String scheme;
    private final String user;
    private final String host;
    private final String port;
    private final String path;
    private final String query;
    private final String fragment;

    private UrlObject(String text, String scheme, String user, String host, String port, String path, String query,
                      String fragment) {
        this.text = text;
        this.scheme = scheme;
        this.user = user;
        this.host = host;
        this.port = port;
        this.path = path;
        this.query = query;
        this.fragment = fragment;
    }

    static UrlObject url(String text) {
        Matcher m = URL.matcher(text.strip());
        if (!m.matches()) {
            return new UrlObject(text, "", "", "", "", "", "", "");
        }
        String host = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return new UrlObject(text, nz(m.group(1)).toLowerCase(Locale.ROOT), nz(m.group(2)), host, nz(m.group(4)),
                strip(nz(m.group(5))), nz(m.group(6)), nz(m.group(7)));
    }

    /** An e-mail address as Rspamd's mailto URL: user is the local part, host the domain. */
    static UrlObject email(String address) {
        int at = address.lastIndexOf('@');
        String user = at > 0 ? address.substring(0, at) : address;
        String host = at >= 0 ? address.substring(at + 1).toLowerCase(Locale.ROOT) : "";
        return new UrlObject(address, "mailto", user, host, "", "", "", "");
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    String host() {
        return host;
    }

    @Override
    public Object call(String method, List<String> args) {
        return switch (method) {
            case "get_host" -> host;
            case "get_tld" -> PublicSuffix.registrableDomain(host).orElse(host);
            case "get_text", "get_raw", "tostring" -> text;
            case "get_scheme", "get_protocol" -> scheme;
            case "get_user" -> user;
            case "get_path" -> path;
            case "get_query" -> query;
            case "get_fragment" -> fragment;
            case "get_port" -> port.isEmpty() ? null : port;
            default -> throw new IllegalArgumentException("a URL has no method " + method);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
