package org.mailsift.scanner;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.settings.GroupsSettings;
import org.mailsift.scanner.settings.MilterHeadersSettings;
import org.mailsift.scanner.settings.OptionsSettings;
import org.mailsift.scanner.usersettings.UserSettings;

/**
 * Everything the engine reads from the configuration.
 *
 * @param userSettings settings.conf: per-message settings (thresholds, which rules run, symbol scores)
 */
public record EngineSettings(ActionsSettings actions, GroupsSettings groups, MilterHeadersSettings milterHeaders,
                             OptionsSettings options, UserSettings userSettings) {
    public static final EngineSettings DEFAULTS = new EngineSettings(ActionsSettings.DEFAULTS, GroupsSettings.DEFAULTS,
            MilterHeadersSettings.DEFAULTS, OptionsSettings.DEFAULTS);

    /** Without settings.conf rules. */
    public EngineSettings(ActionsSettings actions, GroupsSettings groups, MilterHeadersSettings milterHeaders,
                          OptionsSettings options) {
        this(actions, groups, milterHeaders, options, UserSettings.NONE);
    }

    public static EngineSettings from(ConfigSource config) {
        return new EngineSettings(ActionsSettings.from(config), GroupsSettings.from(config),
                MilterHeadersSettings.from(config), OptionsSettings.from(config), UserSettings.from(config));
    }

    /** These settings with other settings.conf rules (tests, tools). */
    public EngineSettings withUserSettings(UserSettings rules) {
        return new EngineSettings(actions, groups, milterHeaders, options, rules);
    }
}
