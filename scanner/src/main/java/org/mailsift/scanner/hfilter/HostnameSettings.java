package org.mailsift.scanner.hfilter;

import java.util.Set;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * {@code hfilter.conf}, Rspamd's option names. Without the file the stock values apply (HELO, host name, MAIL FROM,
 * recipient and URL checks on; the Message-ID host check off). {@code check_local} / {@code check_authed} run the checks for local and authenticated
 * senders too (off, as in Rspamd).
 */
public record HostnameSettings(boolean enabled, boolean helo, boolean hostname, boolean from, boolean rcpt,
                               boolean checkLocal, boolean checkAuthed, boolean url, boolean mid) {
    public static final String SECTION = "hfilter";
    public static final HostnameSettings STOCK = new HostnameSettings(true, true, true, true, true, false, false, true, false);
    private static final Set<String> KNOWN = Set.of("enabled", "helo_enabled", "hostname_enabled", "from_enabled",
            "rcpt_enabled", "mid_enabled", "url_enabled", "check_local", "check_authed");

    public static HostnameSettings from(ConfigSource config) {
        UclObject s = config.section(SECTION);
        if (s.keys().size() == 1 && s.has(SECTION)) {
            s = s.getObject(SECTION).orElse(s);
        }
        s.warnUnknown(SECTION, KNOWN, config::warn);
        return new HostnameSettings(s.getBoolean("enabled", true), s.getBoolean("helo_enabled", STOCK.helo),
                s.getBoolean("hostname_enabled", STOCK.hostname), s.getBoolean("from_enabled", STOCK.from),
                s.getBoolean("rcpt_enabled", STOCK.rcpt), s.getBoolean("check_local", false),
                s.getBoolean("check_authed", false), s.getBoolean("url_enabled", STOCK.url),
                s.getBoolean("mid_enabled", STOCK.mid));
    }
}
