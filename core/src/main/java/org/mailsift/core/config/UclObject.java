package org.mailsift.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A UCL object: keys in file order. A key written more than once keeps every value (UCL's implicit array);
 * {@link #get(String)} returns the last one, as later definitions win, and {@link #getAll(String)} returns all.
 * Keys are case-sensitive, as in UCL.
 */
public final class UclObject implements UclValue {
    private final LinkedHashMap<String, List<UclValue>> entries;
    private final Position position;

    public UclObject(Map<String, List<UclValue>> entries, Position position) {
        LinkedHashMap<String, List<UclValue>> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.entries = copy;
        this.position = position;
    }

    public static UclObject empty(Position position) {
        return new UclObject(Map.of(), position);
    }

    @Override
    public Position position() {
        return position;
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Map<String, List<UclValue>> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<UclValue> get(String key) {
        List<UclValue> values = entries.get(key);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    public List<UclValue> getAll(String key) {
        return entries.getOrDefault(key, List.of());
    }

    /** The value as a list: an explicit array's items, or every value of a repeated key. */
    public List<UclValue> getList(String key) {
        List<UclValue> out = new ArrayList<>();
        for (UclValue v : getAll(key)) {
            if (v instanceof UclArray a) {
                out.addAll(a.items());
            } else {
                out.add(v);
            }
        }
        return out;
    }

    public List<String> getStringList(String key) {
        List<String> out = new ArrayList<>();
        for (UclValue v : getList(key)) {
            out.add(scalar(key, v).asString());
        }
        return out;
    }

    public Optional<UclScalar> getScalar(String key) {
        return get(key).map(v -> scalar(key, v));
    }

    public String getString(String key, String defaultValue) {
        return getScalar(key).map(UclScalar::asString).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return getScalar(key).map(UclScalar::asDouble).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return getScalar(key).map(UclScalar::asLong).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return getScalar(key).map(UclScalar::asBoolean).orElse(defaultValue);
    }

    public long getMillis(String key, long defaultMillis) {
        return getScalar(key).map(UclScalar::asMillis).orElse(defaultMillis);
    }

    public Optional<UclObject> getObject(String key) {
        return get(key).map(v -> {
            if (v instanceof UclObject o) {
                return o;
            }
            throw new ConfigException(v.position(), "\"" + key + "\" must be a section { ... }");
        });
    }

    /** Named sections {@code account "alice" { }} parse as {@code account { alice { } }}; this returns name -&gt; section. */
    public Map<String, UclObject> getNamedSections(String key) {
        Map<String, UclObject> out = new LinkedHashMap<>();
        for (UclValue v : getAll(key)) {
            if (!(v instanceof UclObject o)) {
                throw new ConfigException(v.position(), "\"" + key + "\" must be a named section: " + key + " \"name\" { ... }");
            }
            for (String name : o.keys()) {
                UclValue inner = o.get(name).orElseThrow();
                if (!(inner instanceof UclObject io)) {
                    throw new ConfigException(inner.position(), "\"" + key + " " + name + "\" must be a section { ... }");
                }
                out.put(name, io);
            }
        }
        return out;
    }

    /** Reports every key not in {@code known} as a warning "file:line:col: unknown option 'x' in NAME". */
    public void warnUnknown(String where, Set<String> known, Consumer<String> warnings) {
        for (Map.Entry<String, List<UclValue>> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                warnings.accept(e.getValue().get(0).position() + ": unknown option '" + e.getKey() + "' in " + where + " (ignored)");
            }
        }
    }

    private static UclScalar scalar(String key, UclValue v) {
        if (v instanceof UclScalar s) {
            return s;
        }
        throw new ConfigException(v.position(), "\"" + key + "\" must be a single value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UclObject other && other.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "UclObject" + entries;
    }
}
