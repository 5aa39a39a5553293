package org.mailsift.scanner;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.settings.GroupsSettings;
import org.mailsift.scanner.settings.MilterHeadersSettings;
import org.mailsift.scanner.settings.OptionsSettings;

/** Everything the engine reads from the configuration. */
public record EngineSettings(ActionsSettings actions, GroupsSettings groups, MilterHeadersSettings milterHeaders,
                             OptionsSettings options) {
    public static final EngineSettings DEFAULTS = new EngineSettings(ActionsSettings.DEFAULTS, GroupsSettings.DEFAULTS,
            MilterHeadersSettings.DEFAULTS, OptionsSettings.DEFAULTS);

    public static EngineSettings from(ConfigSource config) {
        return new EngineSettings(ActionsSettings.from(config), GroupsSettings.from(config),
                MilterHeadersSettings.from(config), OptionsSettings.from(config));
    }
}
