package org.mailsift.scanner.settings;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/** Reads a section whether the file wraps it ({@code actions { ... }}) or not. */
final class Sections {
    private Sections() {
    }

    static UclObject unwrap(UclObject section, String name) {
        if (section.keys().size() == 1 && section.has(name)) {
            return section.getObject(name).orElse(section);
        }
        return section;
    }

    static UclObject read(ConfigSource config, String name) {
        return unwrap(config.section(name), name);
    }
}
