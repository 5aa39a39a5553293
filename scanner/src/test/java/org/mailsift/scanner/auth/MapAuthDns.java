package org.mailsift.scanner.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** DNS answered from a map, for unit tests: names set with {@link #txt(String, String...)} etc.; others are NONE. */
public final class MapAuthDns implements AuthDns {
    private final Map<String, List<String>> records = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    public final AtomicInteger queries = new AtomicInteger();

    public MapAuthDns txt(String name, String... values) {
        return put("TXT", name, values);
    }

    public MapAuthDns a(String name, String... values) {
        return put("A", name, values);
    }

    public MapAuthDns aaaa(String name, String... values) {
        return put("AAAA", name, values);
    }

    public MapAuthDns mx(String name, String... values) {
        return put("MX", name, values);
    }

    public MapAuthDns ptr(String name, String... values) {
        return put("PTR", name, values);
    }

    /** Every lookup of this name answers TEMPFAIL. */
    public MapAuthDns fail(String name) {
        failing.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    private MapAuthDns put(String type, String name, String... values) {
        records.computeIfAbsent(type + " " + name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    private CompletableFuture<Answer> get(String type, String name) {
        queries.incrementAndGet();
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (failing.contains(n)) {
            return CompletableFuture.completedFuture(Answer.TEMPFAIL);
        }
        List<String> r = records.get(type + " " + n);
        return CompletableFuture.completedFuture(r == null ? Answer.NONE : new Answer(Status.OK, r));
    }

    @Override
    public CompletableFuture<Answer> txt(String name) {
        return get("TXT", name);
    }

    @Override
    public CompletableFuture<Answer> a(String name) {
        return get("A", name);
    }

    @Override
    public CompletableFuture<Answer> aaaa(String name) {
        return get("AAAA", name);
    }

    @Override
    public CompletableFuture<Answer> mx(String name) {
        return get("MX", name);
    }

    @Override
    public CompletableFuture<Answer> ptr(String name) {
        return get("PTR", name);
    }
}
