package org.mailsift.controller.webui;

import java.util.List;
import java.util.Map;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.Action;

/**
 * What the web interface's configuration page needs from the process that runs the scanner (the agent provides it):
 * the configuration in use, the scanner's symbols and thresholds, and a way to apply files just written.
 */
public interface ConfigAccess {
    /** The configuration as the running scanner read it (a ConfigDirectory in the daemon). */
    ConfigSource configuration();

    /** Every symbol the scanner knows, with its effective weight. */
    List<SymbolInfo> symbols();

    /** The action thresholds in use (a missing action is disabled). */
    Map<Action, Double> thresholds();

    /**
     * Re-reads the configuration directory and applies it to the running scanner (as SIGHUP does).
     *
     * @throws Exception with a message naming file and line when the configuration does not load; the running one stays
     */
    void apply() throws Exception;

    /** One symbol: name, group ("" when none), weight and description. */
    record SymbolInfo(String name, String group, double weight, String description) {
    }
}
