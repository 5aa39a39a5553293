package org.mailsift.scanner;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.StandardRules;

/** Builds a {@link ScanEngine} from the configuration: the standard rules plus any extra ones (Bayes). */
public final class EngineFactory {
    private EngineFactory() {
    }

    public static ScanEngine create(ConfigSource config, List<Rule> extraRules) {
        return create(EngineSettings.from(config), extraRules, Clock.systemUTC());
    }

    public static ScanEngine create(EngineSettings settings, List<Rule> extraRules, Clock clock) {
        List<Rule> rules = new ArrayList<>(StandardRules.create(settings.options(), clock));
        rules.addAll(extraRules);
        String host = settings.milterHeaders().hostname() != null ? settings.milterHeaders().hostname() : localHostname();
        return new ScanEngine(rules, settings, ParseLimits.DEFAULT, host);
    }

    /** This machine's name, as Rspamd's X-Rspamd-Server (no DNS lookup: the kernel's host name). */
    static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of("/etc/hostname");
            if (java.nio.file.Files.isReadable(p)) {
                String s = java.nio.file.Files.readString(p).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
