package org.mailsift.controller.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last errors the HTTP workers answered with a 5xx, for /errors (Rspamd keeps its error log buffer there). */
public final class RecentErrors {
    /**
     * @param unixTimeSeconds when
     * @param module          worker name
     * @param message         what happened
     */
    public record Entry(double unixTimeSeconds, String module, String message) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public RecentErrors(int capacity) {
        this.capacity = capacity;
    }

    public void add(String module, String message) {
        synchronized (entries) {
            entries.addLast(new Entry(System.currentTimeMillis() / 1000.0, module, message));
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
    }

    public List<Entry> entries() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
