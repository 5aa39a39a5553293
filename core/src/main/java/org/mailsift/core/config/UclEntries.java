package org.mailsift.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.core.config.UclParser.Duplicate;

/** The keys of one object under construction, with the priority each was set at. */
final class UclEntries {
    private final LinkedHashMap<String, List<UclValue>> values = new LinkedHashMap<>();
    private final Map<String, Integer> priorities = new HashMap<>();

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
            case REWRITE -> values.put(key, new ArrayList<>(List.of(value)));
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
