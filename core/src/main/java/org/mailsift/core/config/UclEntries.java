package org.mailsift.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.UclParser.Duplicate;

/** The keys of one object under construction, with the priority each was set at. */
final class UclEntries {
    private final LinkedHashMap<String, List<UclValue>> values = new LinkedHashMap<>();
    private final Map<String, Integer> priorities = new HashMap<>();
    /** Keys copied by {@code .inherit}: the section's own definition replaces them instead of adding a value. */
    private final Set<String> inherited = new HashSet<>();

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The first value of {@code key} (what libucl's lookup finds when a key was written several times). */
    Optional<UclValue> first(String key) {
        List<UclValue> v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** {@code .inherit}: takes {@code inheritedValues} for {@code key} unless it is set here (or {@code replace}). */
    void inherit(String key, List<UclValue> inheritedValues, boolean replace) {
        if (values.containsKey(key) && !replace) {
            return;
        }
        values.put(key, new ArrayList<>(inheritedValues));
        priorities.put(key, 0);
        if (!replace) {
            inherited.add(key);
        }
    }

    /**
     * An include with {@code key}/{@code prefix}: the included object goes under {@code key}, merged into the object
     * already there, or with {@code target = "array"} appended to the array there.
     */
    void addUnderKey(String key, UclObject included, IncludeParams params, Position at) {
        List<UclValue> existing = values.get(key);
        if (params.array()) {
            List<UclValue> items = new ArrayList<>();
            if (existing != null) {
                for (UclValue v : existing) {
                    if (v instanceof UclArray a) {
                        items.addAll(a.items());
                    } else {
                        items.add(v);
                    }
                }
            }
            items.add(included);
            values.put(key, new ArrayList<>(List.of(new UclArray(items, at))));
            priorities.putIfAbsent(key, params.priority());
            return;
        }
        if (existing != null && !(existing.get(existing.size() - 1) instanceof UclObject)) {
            throw new ConfigException(at, "cannot include into '" + key + "': it is already set to a value at "
                    + existing.get(0).position() + ", not a section");
        }
        addIncluded(key, included, params.priority(), Duplicate.MERGE, at);
    }

    void add(String key, UclValue value, int priority, Duplicate duplicate) {
        addIncluded(key, value, priority, duplicate, value.position());
    }

    void addIncluded(String key, UclValue value, int priority, Duplicate duplicate, Position at) {
        List<UclValue> existing = values.get(key);
        if (existing == null) {
            values.put(key, new ArrayList<>(List.of(value)));
            priorities.put(key, priority);
            return;
        }
        if (inherited.remove(key) || duplicate == Duplicate.REWRITE) {
            // libucl: an inherited value is replaced by the section's own; rewrite replaces at any priority
            values.put(key, new ArrayList<>(List.of(value)));
            priorities.put(key, priority);
            return;
        }
        int old = priorities.get(key);
        if (priority < old) {
            return;
        }
        if (priority > old) {
            if (duplicate == Duplicate.MERGE) {
                mergeInto(key, existing, value);
            } else {
                values.put(key, new ArrayList<>(List.of(value)));
            }
            priorities.put(key, priority);
            return;
        }
        switch (duplicate) {
            case APPEND -> existing.add(value);
            case REWRITE -> throw new IllegalStateException("handled above");
            case MERGE -> mergeInto(key, existing, value);
            case ERROR -> throw new ConfigException(at, "duplicate key '" + key + "' (already set at "
                    + existing.get(0).position() + ")");
        }
    }

    private void mergeInto(String key, List<UclValue> existing, UclValue value) {
        values.put(key, new ArrayList<>(UclMerge.mergeValues(existing, List.of(value))));
    }

    UclObject toObject(Position position) {
        return new UclObject(values, position);
    }
}
