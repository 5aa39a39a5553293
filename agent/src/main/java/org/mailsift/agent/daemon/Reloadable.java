package org.mailsift.agent.daemon;

import org.mailsift.core.config.ConfigSource;

/**
 * A running part of the daemon that can apply a re-read configuration in place, on SIGHUP or {@code systemctl reload}:
 * listening sockets and open connections stay as they are. A service that does not implement it keeps the
 * configuration it started with until the next restart.
 */
public interface Reloadable {
    /**
     * Applies {@code config}, already parsed and checked. Throw (e.g. a ConfigException) to keep the current settings;
     * the daemon logs that and carries on.
     */
    void reload(ConfigSource config) throws Exception;
}
