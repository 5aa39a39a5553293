package org.mailsift.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges one configuration over another, the way {@code local.d/} files change stock ones: sections are merged
 * recursively, and any other value of {@code over} replaces the one in {@code base} (so a later scalar wins and an
 * array is replaced, not extended). Keys only in {@code base} are kept, in their order; new keys follow.
 */
public final class UclMerge {
    private UclMerge() {
    }

    public static UclObject merge(UclObject base, UclObject over) {
        LinkedHashMap<String, List<UclValue>> out = new LinkedHashMap<>(base.entries());
        for (Map.Entry<String, List<UclValue>> e : over.entries().entrySet()) {
            List<UclValue> existing = out.get(e.getKey());
            out.put(e.getKey(), existing == null ? e.getValue() : mergeValues(existing, e.getValue()));
        }
        return new UclObject(out, base.position());
    }

    /**
     * The values of one key after merging. One section over one section merges them. When several sections were
     * written under the key (named sections such as {@code group "a" { } group "b" { }}), each section of
     * {@code over} is merged, name by name, into the last section of {@code base} holding that name, so changing
     * one group keeps the others. Anything else: {@code over} replaces {@code base}.
     */
    static List<UclValue> mergeValues(List<UclValue> base, List<UclValue> over) {
        if (!allObjects(base) || !allObjects(over)) {
            return over;
        }
        if (base.size() == 1 && over.size() == 1) {
            return List.of(merge((UclObject) base.get(0), (UclObject) over.get(0)));
        }
        List<UclValue> out = new ArrayList<>(base);
        for (UclValue v : over) {
            UclObject section = (UclObject) v;
            for (Map.Entry<String, List<UclValue>> inner : section.entries().entrySet()) {
                int target = lastHolding(out, inner.getKey());
                UclObject piece = new UclObject(Map.of(inner.getKey(), inner.getValue()), section.position());
                if (target < 0) {
                    out.add(piece);
                } else {
                    out.set(target, merge((UclObject) out.get(target), piece));
                }
            }
        }
        return out;
    }

    private static int lastHolding(List<UclValue> sections, String key) {
        for (int i = sections.size() - 1; i >= 0; i--) {
            if (((UclObject) sections.get(i)).has(key)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allObjects(List<UclValue> values) {
        for (UclValue v : values) {
            if (!(v instanceof UclObject)) {
                return false;
            }
        }
        return !values.isEmpty();
    }
}
