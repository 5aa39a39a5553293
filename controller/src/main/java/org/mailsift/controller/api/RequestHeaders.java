package org.mailsift.controller.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Request headers looked up case-insensitively, with query parameters merged in as Rspamd does
 * ({@code /checkv2?Rcpt=a@b} works like a {@code Rcpt:} header). Real headers come first for repeated names.
 */
public final class RequestHeaders {
    private final Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public RequestHeaders add(String name, String value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    /** The first value, trimmed, or null when absent or blank. */
    public String first(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String s = v.get(0).trim();
        return s.isEmpty() ? null : s;
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Every header name given (settings.conf request_header sees them all). */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** True when the header's comma-separated list contains {@code word} (e.g. Flags: pass_all,zstd). */
    public boolean listContains(String name, String word) {
        for (String v : all(name)) {
            for (String part : v.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(word)) {
                    return true;
                }
            }
        }
        return false;
    }
}
