package org.mailsift.scanner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;

/** An in-memory configuration for tests, with builders for UCL values. */
public final class TestConfig implements ConfigSource {
    private final Map<String, UclObject> sections = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    public TestConfig with(String name, UclObject section) {
        sections.put(name, section);
        return this;
    }

    @Override
    public UclObject section(String name) {
        return sections.getOrDefault(name, UclObject.empty(Position.BUILTIN));
    }

    @Override
    public Path directory() {
        return Path.of(".");
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void warn(String warning) {
        warnings.add(warning);
    }

    static final Position AT = new Position("test.conf", 1, 1);

    /** obj("reject", 10, "greylist", null, ...) */
    public static UclObject obj(Object... kv) {
        Map<String, List<UclValue>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent((String) kv[i], k -> new ArrayList<>()).add(value(kv[i + 1]));
        }
        return new UclObject(m, AT);
    }

    public static UclArray arr(Object... items) {
        List<UclValue> v = new ArrayList<>();
        for (Object o : items) {
            v.add(value(o));
        }
        return new UclArray(v, AT);
    }

    static UclValue value(Object o) {
        if (o instanceof UclValue u) {
            return u;
        }
        if (o instanceof Integer i) {
            return new UclScalar(i.longValue(), AT);
        }
        return new UclScalar(o, AT);
    }
}
