package org.mailsift.scanner.settings;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/** Reads a section whether the file wraps it ({@code actions { ... }}) or not. */
public final class Sections {
    private Sections() {
    }

    static UclObject unwrap(UclObject section, String name) {
        if (section.keys().size() == 1 && section.has(name)) {
            return section.getObject(name).orElse(section);
        }
        return section;
    }

    /**
     * The entries of a module's file whether they sit in a {@code NAME { }} wrapper (Rspamd's stock file) or not
     * (its local.d file, merged beside the wrapper), in order; a wrapper's entries come where the wrapper stands.
     */
    public static java.util.List<java.util.Map.Entry<String, org.mailsift.core.config.UclValue>> entries(
            UclObject section, String name) {
        java.util.List<java.util.Map.Entry<String, org.mailsift.core.config.UclValue>> out = new java.util.ArrayList<>();
        for (var e : section.entries().entrySet()) {
            for (var v : e.getValue()) {
                if (e.getKey().equals(name) && v instanceof UclObject wrapped) {
                    out.addAll(entries(wrapped, name));
                } else {
                    out.add(java.util.Map.entry(e.getKey(), v));
                }
            }
        }
        return out;
    }

    static UclObject read(ConfigSource config, String name) {
        return unwrap(config.section(name), name);
    }
}
