package org.mailsift.scanner.usersettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rspamd's settings module (settings.conf): per-message settings chosen by the message's sender, recipients, client
 * address, authenticated user, headers or a selector, or asked for by the client ({@code Settings-Id}, or an inline
 * {@code Settings} apply block). As in Rspamd (settings.lua): rules are tried from the highest priority down, equal
 * priorities by name, and the first that matches applies; a client's settings count as priority 1, so a matching
 * rule of a higher priority wins over them and one of priority 1 does not. Immutable; read again on reload.
 */
public final class UserSettings {
    public static final String SECTION = "settings";
    public static final UserSettings NONE = new UserSettings(List.of());
    private static final Logger LOG = LoggerFactory.getLogger(UserSettings.class);
    /** The priority of settings a client sends (Rspamd: 1, as a rule of priority "low"). */
    private static final int CLIENT_PRIORITY = 1;

    private final List<SettingsRule> rules;
    private final Map<String, SettingsRule> byId = new LinkedHashMap<>();

    UserSettings(List<SettingsRule> rules) {
        List<SettingsRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(SettingsRule::priority).reversed().thenComparing(SettingsRule::name));
        this.rules = List.copyOf(sorted);
        for (SettingsRule r : this.rules) {
            byId.putIfAbsent(r.id(), r);
        }
    }

    /**
     * settings.conf merged with local.d/settings.conf: the rules at the top level or inside {@code settings { }}
     * (Rspamd's stock file wraps them); {@code settings = "/path/file"} reads the rules from that file instead.
     */
    public static UserSettings from(ConfigSource config) {
        return from(config.section(SECTION), config::warn);
    }

    public static UserSettings from(UclObject section, Consumer<String> warnings) {
        List<SettingsRule> rules = new ArrayList<>();
        readRules(section, warnings, rules, 0);
        return new UserSettings(rules);
    }

    private static void readRules(UclObject section, Consumer<String> warnings, List<SettingsRule> out, int depth) {
        for (Map.Entry<String, List<UclValue>> e : section.entries().entrySet()) {
            for (UclValue v : e.getValue()) {
                if (e.getKey().equals(SECTION) && v instanceof UclObject inner && depth == 0) {
                    readRules(inner, warnings, out, depth + 1);
                } else if (e.getKey().equals(SECTION) && v instanceof UclScalar s && depth == 0) {
                    readRules(mapFile(s), warnings, out, depth + 1);
                } else if (v instanceof UclObject rule) {
                    SettingsRule r = SettingsRule.parse(e.getKey(), rule, warnings);
                    if (r != null) {
                        out.add(r);
                    }
                } else {
                    warnings.accept(v.position() + ": settings rule '" + e.getKey() + "' must be a section { ... }"
                            + " (ignored)");
                }
            }
        }
    }

    /** {@code settings = "/etc/mailsift/settings.map"}: a UCL file of rules, read at (re)load. */
    private static UclObject mapFile(UclScalar location) {
        String path = location.asString() == null ? "" : location.asString();
        for (String prefix : List.of("fallback+file://", "file://")) {
            if (path.startsWith(prefix)) {
                path = path.substring(prefix.length());
            }
        }
        if (path.contains("://")) {
            throw new ConfigException(location.position(), "settings from a URL are not supported; give a file path");
        }
        UclObject map = new UclParser(Map.of()).parseFile(Path.of(path));
        return map.getObject(SECTION).orElse(map);
    }

    /** How many rules there are (for logs and tests). */
    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The settings for a message: what the client asked for (Settings, else Settings-Id), unless a rule of higher
     * priority matches; else the first matching rule; else none.
     *
     * @param local whether the client is local (loopback or options' local_addrs)
     */
    public MessageSettings select(ParsedMessage message, Envelope envelope, boolean local) {
        MessageSettings asked = askedByClient(envelope);
        if (rules.isEmpty()) {
            return asked;
        }
        int minPriority = asked.isNone() ? Integer.MIN_VALUE : CLIENT_PRIORITY + 1;
        SettingsInput in = new SettingsInput(message, envelope, local);
        for (SettingsRule r : rules) {
            if (r.priority() < minPriority) {
                break;
            }
            if (matches(r, in)) {
                LOG.debug("settings rule {} applies to message {}", r.name(), message.messageId().orElse("undef"));
                return new MessageSettings(r.name(), r.id(), r.apply(), r.symbols());
            }
        }
        return asked;
    }

    /** A rule whose check fails on odd input (it should not) is logged and skipped, never fails the scan. */
    private static boolean matches(SettingsRule r, SettingsInput in) {
        try {
            return r.matches(in);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("settings rule {} failed on message {}; skipped: {}", r.name(),
                    in.message().messageId().orElse("undef"), e.toString());
            return false;
        }
    }

    private MessageSettings askedByClient(Envelope envelope) {
        if (envelope.settings() != null && !envelope.settings().isBlank()) {
            try {
                UclObject apply = UclParser.untrusted().parse(envelope.settings(), "Settings header", null);
                return new MessageSettings("HTTP query", null,
                        SettingsApply.parse(apply, "the Settings header", w -> LOG.info("Settings header: {}", w)),
                        Map.of());
            } catch (ConfigException e) {
                LOG.warn("Settings header ignored: {}", e.getMessage());
            }
        }
        if (envelope.settingsId() != null && !envelope.settingsId().isBlank()) {
            SettingsRule r = byId.get(envelope.settingsId().strip());
            if (r != null) {
                return new MessageSettings(r.name(), r.id(), r.apply(), Map.of());
            }
            LOG.warn("unknown settings id '{}' (known: {})", envelope.settingsId(), String.join(", ", byId.keySet()));
        }
        return MessageSettings.NONE;
    }
}
