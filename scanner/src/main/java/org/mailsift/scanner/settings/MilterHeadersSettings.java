package org.mailsift.scanner.settings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * milter_headers.conf, Rspamd's options for the headers added to scanned mail. X-Spamd-Result is always added
 * (mailsift's choice); {@code extended_spam_headers} adds X-Rspamd-Queue-Id, X-Rspamd-Server, X-Rspamd-Action,
 * X-Spam-Status, X-Spam-Level and X-Spamd-Bar; {@code use} can switch on single routines by Rspamd's names.
 * Rspamd's defaults apply: skip_local and skip_authenticated on, remove_upstream_spam_flag on.
 *
 * @param routines active routine names (Rspamd's: x-spamd-result, x-rspamd-queue-id, x-rspamd-server,
 *                 x-rspamd-action, x-spam-status, x-spam-level, x-spamd-bar)
 * @param localHeaders   routines still applied for local senders
 * @param authenticatedHeaders routines still applied for authenticated senders
 * @param hostname X-Rspamd-Server value, or null for this machine's name
 * @param spamHeader the header set to "Yes" for spam actions: {@code spam_header} of worker-proxy.inc, Rspamd's
 *                   proxy option (its only owner: the milter no longer decides it)
 */
public record MilterHeadersSettings(Set<String> routines, boolean skipLocal, boolean skipAuthenticated,
                                    boolean removeUpstreamSpamFlag, Set<String> localHeaders,
                                    Set<String> authenticatedHeaders, String hostname, String spamHeader) {
    public static final String DEFAULT_SPAM_HEADER = "X-Spam";
    public static final List<String> SUPPORTED_ROUTINES = List.of("x-spamd-result", "x-rspamd-queue-id",
            "x-rspamd-server", "x-rspamd-action", "x-spam-status", "x-spam-level", "x-spamd-bar");
    private static final List<String> EXTENDED = SUPPORTED_ROUTINES;
    private static final Set<String> KNOWN = Set.of("use", "extended_spam_headers", "skip_local", "skip_authenticated",
            "remove_upstream_spam_flag", "local_headers", "authenticated_headers", "routines", "skip_all");

    public static final MilterHeadersSettings DEFAULTS = new MilterHeadersSettings(Set.of("x-spamd-result"), true, true,
            true, Set.of(), Set.of(), null, DEFAULT_SPAM_HEADER);

    public MilterHeadersSettings {
        routines = Set.copyOf(routines);
        localHeaders = Set.copyOf(localHeaders);
        authenticatedHeaders = Set.copyOf(authenticatedHeaders);
    }

    public static MilterHeadersSettings from(ConfigSource config) {
        String spamHeader = config.section("worker-proxy").getString("spam_header", DEFAULT_SPAM_HEADER).strip();
        if (spamHeader.isEmpty() || !spamHeader.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new org.mailsift.core.config.ConfigException(config.section("worker-proxy").get("spam_header")
                    .orElseThrow().position(), "spam_header must be a header name");
        }
        return from(config.section("milter_headers"), config).withSpamHeader(spamHeader);
    }

    public MilterHeadersSettings withSpamHeader(String name) {
        return new MilterHeadersSettings(routines, skipLocal, skipAuthenticated, removeUpstreamSpamFlag, localHeaders,
                authenticatedHeaders, hostname, name);
    }

    public static MilterHeadersSettings from(UclObject section, ConfigSource config) {
        section = Sections.unwrap(section, "milter_headers");
        section.warnUnknown("milter_headers", KNOWN, config::warn);
        Set<String> routines = new LinkedHashSet<>();
        routines.add("x-spamd-result");
        if (section.getBoolean("extended_spam_headers", false)) {
            routines.addAll(EXTENDED);
        }
        final UclObject s = section;
        for (String r : section.getStringList("use")) {
            if (SUPPORTED_ROUTINES.contains(r)) {
                routines.add(r);
            } else if (!r.equals("remove-spam-flag")) {
                config.warn(s.get("use").orElseThrow().position() + ": milter_headers routine \"" + r
                        + "\" is not supported (ignored)");
            }
        }
        String hostname = null;
        UclObject routineSettings = section.getObject("routines").orElse(null);
        if (routineSettings != null) {
            for (String r : routineSettings.keys()) {
                if (!r.equals("x-rspamd-server")) {
                    config.warn(routineSettings.get(r).orElseThrow().position() + ": settings for milter_headers routine \""
                            + r + "\" are not supported (ignored)");
                }
            }
            hostname = routineSettings.getObject("x-rspamd-server").map(o -> o.getString("hostname", null)).orElse(null);
        }
        boolean skipAll = section.getBoolean("skip_all", false);
        if (skipAll) {
            config.warn(section.get("skip_all").orElseThrow().position() + ": milter_headers skip_all is not supported (ignored)");
        }
        return new MilterHeadersSettings(routines,
                section.getBoolean("skip_local", true),
                section.getBoolean("skip_authenticated", true),
                section.getBoolean("remove_upstream_spam_flag", true),
                new LinkedHashSet<>(section.getStringList("local_headers")),
                new LinkedHashSet<>(section.getStringList("authenticated_headers")),
                hostname, DEFAULT_SPAM_HEADER);
    }
}
