package org.mailsift.core.config;

import java.util.List;

/** A UCL array {@code [a, b]} (or the implicit array made by repeating a key). */
public record UclArray(List<UclValue> items, Position position) implements UclValue {
    public UclArray {
        items = List.copyOf(items);
    }
}
