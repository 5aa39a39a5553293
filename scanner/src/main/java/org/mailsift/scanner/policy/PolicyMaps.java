package org.mailsift.scanner.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * A list option of a policy module as Rspamd's lua_maps takes it: a list of entries, a string of comma-separated
 * entries ({@code whitelisted_rcpts = "postmaster,mailer-daemon"}), or a file (absolute path, {@code file://},
 * {@code ${CONFDIR}} / {@code $LOCAL_CONFDIR} relative to the configuration directory) with one entry a line and
 * {@code #} comments. An HTTP(S) URL or an unreadable file is skipped with a warning naming the option.
 */
public final class PolicyMaps {
    private PolicyMaps() {
    }

    /** The entries of option {@code key} of {@code section}, or {@code absent} when it is not set. */
    public static List<String> items(ConfigSource config, UclObject section, String key, List<String> absent) {
        if (!section.has(key)) {
            return absent;
        }
        List<String> out = new ArrayList<>();
        String where = section.get(key).orElseThrow().position() + ": " + key + ": ";
        for (String item : section.getStringList(key)) {
            String v = item.strip();
            if (v.startsWith("http://") || v.startsWith("https://")) {
                config.warn(where + "remote map " + v + " is not fetched (ignored)");
                continue;
            }
            Optional<Path> file = file(config, v);
            if (file.isEmpty()) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
                continue;
            }
            try {
                for (String line : Files.readAllLines(file.get())) {
                    int hash = line.indexOf('#');
                    String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
                    if (!entry.isEmpty()) {
                        out.add(entry.split("\\s+")[0]);
                    }
                }
            } catch (IOException e) {
                config.warn(where + "cannot read " + file.get() + " (ignored): " + e.getMessage());
            }
        }
        return out;
    }

    private static Optional<Path> file(ConfigSource config, String v) {
        String p = v.startsWith("file://") ? v.substring(7) : v;
        String dir = config.directory().toString();
        p = p.replace("${LOCAL_CONFDIR}", dir).replace("$LOCAL_CONFDIR", dir).replace("${CONFDIR}", dir)
                .replace("$CONFDIR", dir);
        return p.startsWith("/") ? Optional.of(Path.of(p)) : Optional.empty();
    }
}
