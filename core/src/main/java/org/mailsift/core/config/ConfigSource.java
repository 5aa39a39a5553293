package org.mailsift.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The configuration directory, read the way Rspamd admins expect: for a name such as {@code actions} the stock file
 * ({@code actions.conf} or {@code actions.inc}) is parsed, {@code local.d/actions.conf} (or {@code .inc}) is merged
 * over it, and {@code override.d/actions.conf} replaces both when present.
 */
public interface ConfigSource {
    /** The merged section for {@code name} (e.g. "actions", "worker-proxy", "classifier-bayes"); empty when absent. */
    UclObject section(String name);

    /** The directory itself (for relative paths in values). */
    Path directory();

    /** Warnings collected so far (unknown options, plaintext passwords...), each starting with file:line:col. */
    List<String> warnings();

    /** Adds a warning (modules report unknown options here). */
    void warn(String warning);

    /**
     * Where the daemon writes what it is asked to save (the web interface's /saveactions, /savesymbols): the data
     * directory's {@code dynamic/} when the configuration has one (see {@link ConfigDirectory}), else {@code local.d};
     * null when nothing can be saved.
     */
    default Path savedSettingsDirectory() {
        return directory() == null ? null : directory().resolve(ConfigDirectory.LOCAL_DIR);
    }

    /**
     * The daemon's data directory (Rspamd's DBDIR: where HTTP maps keep their last good copy), or null when the
     * configuration is read without one (configtest, unit tests).
     */
    default Path dataDirectory() {
        return null;
    }
}
