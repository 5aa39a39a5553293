package org.mailsift.agent.logging;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.slf4j.event.Level;

/**
 * The levels of the per-message log lines, from the {@code logging} section (Rspamd's logging.inc; these two keys are
 * mailsift's own): {@code scan_log_level} and {@code learn_log_level}, each one of off, error, warning, info, debug
 * (default info). The logger names {@code mailsift.scan} and {@code mailsift.learn} can also be tuned in logback.xml.
 */
public record LogLevels(Optional<Level> scan, Optional<Level> learn) {
    public static final String SECTION = "logging";
    public static final String SCAN_KEY = "scan_log_level";
    public static final String LEARN_KEY = "learn_log_level";

    /**
     * Reads the {@code logging} section; Rspamd's own logging options (type, filename, level...) are reported as
     * unused: mailsift logs to stderr (the journal), configured by MAILSIFT_LOG_LEVEL or a logback file.
     */
    public static LogLevels from(ConfigSource config) {
        UclObject logging = config.section(SECTION);
        logging.warnUnknown(SECTION, Set.of(SCAN_KEY, LEARN_KEY), config::warn);
        return from(logging);
    }

    public static LogLevels from(UclObject logging) {
        return new LogLevels(level(logging, SCAN_KEY), level(logging, LEARN_KEY));
    }

    private static Optional<Level> level(UclObject section, String key) {
        String name = section.getString(key, "info").trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "off", "none", "false", "no" -> Optional.empty();
            case "error", "err" -> Optional.of(Level.ERROR);
            case "warn", "warning" -> Optional.of(Level.WARN);
            case "info", "notice", "true", "yes" -> Optional.of(Level.INFO);
            case "debug" -> Optional.of(Level.DEBUG);
            case "trace" -> Optional.of(Level.TRACE);
            default -> throw new ConfigException(section.get(key).orElseThrow().position(),
                    "logging " + key + " must be one of off, error, warning, info, debug (got \"" + name + "\")");
        };
    }
}
