package org.mailsift.scanner.usersettings;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.mailsift.core.scan.ActionsSettings;

/**
 * The settings that apply to one message (or {@link #NONE}): which rules run, which symbols count and with what
 * weight, and the action thresholds the verdict is taken with.
 *
 * @param name where they came from: the settings rule's name, or "HTTP query" for a client's inline settings
 * @param id   the settings id (a rule's id, also when asked for by Settings-Id), or null
 */
public record MessageSettings(String name, String id, SettingsApply apply, Map<String, Double> extraSymbols) {
    public static final MessageSettings NONE = new MessageSettings(null, null, SettingsApply.NONE, Map.of());

    public MessageSettings {
        extraSymbols = Map.copyOf(extraSymbols);
    }

    public boolean isNone() {
        return this == NONE;
    }

    /** {@code want_spam}: nothing is checked. */
    public boolean skipsEveryRule() {
        return apply.whitelist();
    }

    /** The configured thresholds with these settings' changes, and their subject template when they set one. */
    public ActionsSettings actions(ActionsSettings configured) {
        ActionsSettings changed = apply.actions().isEmpty() ? configured : configured.with(apply.actions());
        return apply.subject() == null ? changed : new ActionsSettings(changed.thresholds(), apply.subject());
    }

    /**
     * Whether a symbol of {@code group} runs and counts, in Rspamd's order: with symbols_enabled or groups_enabled
     * everything else is off, then symbols_disabled and groups_disabled switch off.
     */
    public boolean enabled(String symbol, String group) {
        if (apply.whitelist()) {
            return false;
        }
        if (apply.symbolsDisabled().contains(symbol) || group != null && apply.groupsDisabled().contains(group)) {
            return false;
        }
        if (!apply.restrictsToEnabled()) {
            return true;
        }
        return apply.symbolsEnabled() != null && apply.symbolsEnabled().contains(symbol)
                || apply.groupsEnabled() != null && group != null && apply.groupsEnabled().contains(group);
    }

    /** Whether a rule producing these symbols runs: when any of them is enabled ({@code groupOf} names its group). */
    public boolean runs(List<String> symbols, Function<String, String> groupOf) {
        if (symbols.isEmpty()) {
            return !apply.whitelist() && !apply.restrictsToEnabled();
        }
        for (String symbol : symbols) {
            if (enabled(symbol, groupOf.apply(symbol))) {
                return true;
            }
        }
        return false;
    }

    /** The symbol's weight for this message: the settings' score when they set one, else the configured weight. */
    public double weight(String symbol, double configured) {
        Double w = apply.scores().get(symbol);
        return w != null ? w : configured;
    }

    /** Symbols these settings insert (the rule's {@code symbols} and apply's), with their runtime scores. */
    public Map<String, Double> insertedSymbols() {
        if (apply.insertSymbols().isEmpty()) {
            return extraSymbols;
        }
        Map<String, Double> all = new java.util.LinkedHashMap<>(extraSymbols);
        all.putAll(apply.insertSymbols());
        return all;
    }

    /** The SMTP reply text these settings set ({@code messages { smtp_message }}), or null. */
    public String smtpMessage() {
        return apply.smtpMessage();
    }
}
