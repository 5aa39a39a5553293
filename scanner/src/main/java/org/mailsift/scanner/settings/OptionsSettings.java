package org.mailsift.scanner.settings;

import java.util.List;
import java.util.Set;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * The scan-related part of options.inc: {@code local_addrs} (networks whose clients count as local) and
 * {@code enable_test_patterns} (GTUBE variants for add header / rewrite subject / no action, as in Rspamd).
 * Other options belong to other modules, so unknown keys are not reported here.
 */
public record OptionsSettings(CidrSet localAddrs, boolean enableTestPatterns) {
    public static final List<String> DEFAULT_LOCAL_ADDRS = List.of("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12",
            "fd00::/8", "169.254.0.0/16", "fe80::/10", "127.0.0.0/8", "::1/128");
    public static final OptionsSettings DEFAULTS = new OptionsSettings(CidrSet.parse(DEFAULT_LOCAL_ADDRS), false);

    public static OptionsSettings from(ConfigSource config) {
        return from(config.section("options"), config);
    }

    public static OptionsSettings from(UclObject options, ConfigSource config) {
        UclObject section = Sections.unwrap(options, "options");
        CidrSet local = DEFAULTS.localAddrs();
        if (section.has("local_addrs")) {
            List<String> items = section.getStringList("local_addrs");
            local = CidrSet.parse(items, w -> config.warn(section.get("local_addrs").orElseThrow().position() + ": " + w));
        }
        return new OptionsSettings(local, section.getBoolean("enable_test_patterns", false));
    }

    /** Options keys this module reads (for the config module's unknown-option check). */
    public static final Set<String> KEYS = Set.of("local_addrs", "enable_test_patterns", "map_watch_interval",
            "maps_cache_dir", "max_map_size");
}
