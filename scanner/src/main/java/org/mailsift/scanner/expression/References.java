package org.mailsift.scanner.expression;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named expressions that use each other by name (composites of composites, regexp rules reusing rules and atoms):
 * finds a name that reaches itself, which would be evaluated without end.
 */
public final class References {
    private References() {
    }

    /**
     * @param uses each name and the names its expression uses (names not in the map are ignored)
     * @return a cycle as a path that starts and ends with the same name ({@code A -> B -> A}), or empty
     */
    public static Optional<List<String>> findCycle(Map<String, List<String>> uses) {
        Map<String, Boolean> done = new HashMap<>(); // false = on the current path, true = finished
        for (String name : uses.keySet()) {
            List<String> path = new ArrayList<>();
            if (reaches(name, uses, done, path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static boolean reaches(String name, Map<String, List<String>> uses, Map<String, Boolean> done,
                                   List<String> path) {
        Boolean state = done.get(name);
        if (!uses.containsKey(name) || Boolean.TRUE.equals(state)) {
            return false;
        }
        if (state != null) {
            path.subList(0, path.indexOf(name)).clear();
            path.add(name);
            return true;
        }
        done.put(name, false);
        path.add(name);
        for (String next : uses.get(name)) {
            if (reaches(next, uses, done, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.put(name, true);
        return false;
    }
}
