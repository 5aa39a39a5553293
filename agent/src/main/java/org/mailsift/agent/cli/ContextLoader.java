package org.mailsift.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.scanner.settings.OptionsSettings;

/**
 * Where the configuration and the data live, from the command line. The distribution's launcher sets
 * {@code -Dmailsift.home}; without it (tests, an IDE) the current directory plays that role.
 * <ul>
 *   <li>configuration: {@code -c DIR}, else {@code <home>/etc}</li>
 *   <li>data: {@code --dbdir DIR}, else {@code options { dbdir }} (relative to home), else {@code $MAILSIFT_DBDIR}, else {@code <home>/data};
 *       created when missing</li>
 * </ul>
 */
public final class ContextLoader {
    public static final String HOME_PROPERTY = "mailsift.home";

    private ContextLoader() {
    }

    public static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    public static Path configDirectory(CommandLine line) {
        String dir = line.getOptionValue("config");
        return dir != null ? Path.of(dir) : home().resolve("etc");
    }

    /**
     * Opens the configuration directory, with the data directory's {@code dynamic/} (what the daemon saved for the web
     * interface) merged over it, and checks options.inc for keys no module reads.
     */
    public static ConfigDirectory config(CommandLine line) {
        ConfigDirectory config = ConfigDirectory.open(configDirectory(line));
        options(config).warnUnknown("options", OPTIONS_KEYS, config::warn);
        DnsSettings.check(config);
        return config.withDynamicDirectory(dataDirectory(line, config).resolve(ConfigDirectory.DYNAMIC_DIR));
    }

    /** The options keys some module reads: dbdir here, the rest by the scanner. */
    private static final Set<String> OPTIONS_KEYS = Stream.concat(Stream.of("dbdir", "dns"), OptionsSettings.KEYS.stream())
            .collect(Collectors.toUnmodifiableSet());

    /** options.inc holds the keys directly (as in Rspamd) or wrapped in options { }. */
    private static UclObject options(ConfigDirectory config) {
        UclObject options = config.section("options");
        if (options.keys().size() == 1 && options.get("options").orElse(null) instanceof UclObject inner) {
            return inner;
        }
        return options;
    }

    public static Path dataDirectory(CommandLine line, ConfigDirectory config) {
        String fromCommandLine = line.getOptionValue("dbdir");
        if (fromCommandLine != null) {
            // as any other path an admin types: relative to the current directory
            return Path.of(fromCommandLine).toAbsolutePath().normalize();
        }
        String dir = options(config).getString("dbdir", null);
        if (dir == null) {
            // The repository launcher points this outside the build tree, so `mvn clean` never wipes learned data.
            dir = System.getenv("MAILSIFT_DBDIR");
        }
        return dir == null || dir.isBlank() ? home().resolve("data") : home().resolve(dir).normalize();
    }

    /** Opens the configuration and the data directory (creating it) for a command. */
    public static AgentContext open(CommandLine line) throws IOException {
        ConfigDirectory config = config(line);
        Path data = dataDirectory(line, config);
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new IOException("cannot create the data directory " + data + ": " + e.getMessage(), e);
        }
        return new AgentContext(config, data);
    }
}
