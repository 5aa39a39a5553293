package org.mailsift.scanner.usersettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;

/**
 * An {@code apply { }} block of settings.conf (or the {@code Settings} HTTP header), as Rspamd's task:set_settings
 * reads it: {@code actions { reject = 20; greylist = null; "add header" = 5; }} (null disables an action),
 * {@code SYMBOL = score} or {@code scores { SYMBOL = score; }} (the symbol's weight for this message),
 * {@code symbols_enabled}, {@code groups_enabled} (only these run), {@code symbols_disabled}, {@code groups_disabled},
 * {@code subject} (the rewrite-subject template), {@code symbols} (inserted when applied) and
 * {@code messages { smtp_message = "..." }}, {@code add_headers} / {@code remove_headers} (Rspamd's milter reply:
 * header edits of the verdict). A legacy {@code apply "default" { }} metric wrapper is unwrapped.
 *
 * @param actions          threshold changes; a null value disables the action
 * @param scores           weight of a symbol for this message (Rspamd: final score = this × the rule's own factor)
 * @param symbolsEnabled   null when absent; when present only these symbols (and groupsEnabled) run
 * @param groupsEnabled    null when absent
 * @param whitelist        {@code want_spam} / {@code whitelist}: no rule runs at all
 * @param insertSymbols    symbols added with their score when these settings apply
 */
public record SettingsApply(Map<Action, Double> actions, Map<String, Double> scores, Set<String> symbolsEnabled,
                            Set<String> groupsEnabled, Set<String> symbolsDisabled, Set<String> groupsDisabled,
                            String subject, boolean whitelist, Map<String, Double> insertSymbols, String smtpMessage,
                            List<HeaderChange> headerChanges) {

    /** Applies nothing: the configuration's own actions and scores. */
    public static final SettingsApply NONE = new SettingsApply(Map.of(), Map.of(), null, null, Set.of(), Set.of(), null,
            false, Map.of(), null, List.of());
    /** {@code want_spam = yes} / {@code whitelist = yes}: every rule is skipped. */
    public static final SettingsApply WHITELIST = new SettingsApply(Map.of(), Map.of(), null, null, Set.of(), Set.of(),
            null, true, Map.of(), null, List.of());

    private static final Set<String> FLAGS_AND_EXTRAS = Set.of("flags", "variables");

    public SettingsApply {
        EnumMap<Action, Double> a = new EnumMap<>(Action.class);
        a.putAll(actions);
        actions = Collections.unmodifiableMap(a);
        scores = Map.copyOf(scores);
        symbolsEnabled = symbolsEnabled == null ? null : Set.copyOf(symbolsEnabled);
        groupsEnabled = groupsEnabled == null ? null : Set.copyOf(groupsEnabled);
        symbolsDisabled = Set.copyOf(symbolsDisabled);
        groupsDisabled = Set.copyOf(groupsDisabled);
        insertSymbols = Collections.unmodifiableMap(new LinkedHashMap<>(insertSymbols));
        headerChanges = List.copyOf(headerChanges);
    }

    /** Whether only some symbols run ({@code symbols_enabled} or {@code groups_enabled} given). */
    public boolean restrictsToEnabled() {
        return symbolsEnabled != null || groupsEnabled != null;
    }

    /**
     * Reads an apply block; {@code where} names it in warnings ("settings rule 'x'"). Bad values throw a
     * ConfigException with their position; unknown keys that are not numbers are warnings.
     */
    public static SettingsApply parse(UclObject apply, String where, Consumer<String> warnings) {
        if (apply.keys().size() == 1 && apply.get("default").orElse(null) instanceof UclObject metric) {
            apply = metric; // apply "default" { } (Rspamd's former metric name)
        }
        Map<Action, Double> actions = new EnumMap<>(Action.class);
        Map<String, Double> scores = new LinkedHashMap<>();
        Set<String> symbolsEnabled = null;
        Set<String> groupsEnabled = null;
        Set<String> symbolsDisabled = Set.of();
        Set<String> groupsDisabled = Set.of();
        String subject = null;
        boolean whitelist = false;
        Map<String, Double> insert = new LinkedHashMap<>();
        String smtpMessage = null;
        List<HeaderChange> headers = new ArrayList<>();
        for (String key : apply.keys()) {
            UclValue v = apply.get(key).orElseThrow();
            switch (key) {
                case "actions" -> readActions(object(key, v), where, warnings, actions);
                case "scores" -> {
                    for (String sym : object(key, v).keys()) {
                        scores.put(sym, number(sym, object(key, v).get(sym).orElseThrow()));
                    }
                }
                case "symbols_enabled" -> symbolsEnabled = names(apply, key);
                case "groups_enabled" -> groupsEnabled = names(apply, key);
                case "symbols_disabled" -> symbolsDisabled = names(apply, key);
                case "groups_disabled" -> groupsDisabled = names(apply, key);
                case "subject" -> subject = scalar(key, v).asString();
                case "whitelist", "want_spam" -> whitelist = scalar(key, v).asBoolean();
                case "symbols" -> readInsertedSymbols(apply, key, insert);
                case "messages" -> smtpMessage = object(key, v).getString("smtp_message", null);
                case "add_headers" -> addHeaders(object(key, v), headers);
                case "remove_headers" -> removeHeaders(object(key, v), headers);
                default -> {
                    if (FLAGS_AND_EXTRAS.contains(key)) {
                        warnings.accept(v.position() + ": '" + key + "' in " + where + " is not supported (ignored)");
                    } else if (v instanceof UclScalar s && s.value() instanceof Number n) {
                        scores.put(key, n.doubleValue()); // SYMBOL = score
                    } else {
                        warnings.accept(v.position() + ": unknown option '" + key + "' in " + where
                                + " (ignored; a symbol's score must be a number)");
                    }
                }
            }
        }
        return new SettingsApply(actions, scores, symbolsEnabled, groupsEnabled, symbolsDisabled, groupsDisabled,
                subject, whitelist, insert, smtpMessage, headers);
    }

    /**
     * {@code add_headers { "X-Policy" = "internal"; "X-Top" = { value = "x"; order = 0; } }}, Rspamd's milter reply
     * format: a value is appended; {@code order} inserts it before that field (0 = at the top).
     */
    private static void addHeaders(UclObject section, List<HeaderChange> out) {
        for (String name : section.keys()) {
            UclValue v = section.get(name).orElseThrow();
            if (v instanceof UclObject o) {
                String value = o.getString("value", null);
                if (value == null) {
                    throw new ConfigException(v.position(), "add_headers \"" + name + "\" needs value = \"...\"");
                }
                long order = o.getLong("order", -1);
                out.add(order < 0 ? HeaderChange.add(name, value) : HeaderChange.insert(name, value, (int) order));
            } else {
                out.add(HeaderChange.add(name, scalar(name, v).asString()));
            }
        }
    }

    /** {@code remove_headers { "X-Spam-Flag" = 0; "Received" = 1; }}: 0 every instance, n the n-th, -1 the last. */
    private static void removeHeaders(UclObject section, List<HeaderChange> out) {
        for (String name : section.keys()) {
            int n = (int) number(name, section.get(name).orElseThrow());
            out.add(n == 0 ? HeaderChange.removeAll(name) : HeaderChange.remove(name, n));
        }
    }

    private static void readActions(UclObject section, String where, Consumer<String> warnings,
                                    Map<Action, Double> out) {
        for (String name : section.keys()) {
            UclValue v = section.get(name).orElseThrow();
            Optional<Action> action = Action.fromName(name);
            if (action.isEmpty() || action.get() == Action.NO_ACTION) {
                warnings.accept(v.position() + ": unknown action '" + name + "' in " + where + " (ignored)");
                continue;
            }
            UclScalar s = scalar(name, v);
            out.put(action.get(), s.isNull() ? null : number(name, s));
        }
    }

    /** {@code symbols = ["A", "B"]} (score 1 each) or {@code symbols { A = 2; B { score = 3; } }}. */
    private static void readInsertedSymbols(UclObject apply, String key, Map<String, Double> out) {
        for (UclValue v : apply.getList(key)) {
            if (v instanceof UclObject o) {
                for (String sym : o.keys()) {
                    UclValue sv = o.get(sym).orElseThrow();
                    double score = sv instanceof UclObject so ? so.getDouble("score", 1.0) : number(sym, sv);
                    out.put(sym, score);
                }
            } else {
                out.put(scalar(key, v).asString(), 1.0);
            }
        }
    }

    static Set<String> names(UclObject o, String key) {
        Set<String> out = new LinkedHashSet<>();
        for (UclValue v : o.getList(key)) {
            if (v instanceof UclArray || v instanceof UclObject) {
                throw new ConfigException(v.position(), "\"" + key + "\" must be a list of names");
            }
            out.add(scalar(key, v).asString());
        }
        return out;
    }

    static List<String> strings(UclObject o, String key) {
        List<String> out = new ArrayList<>();
        for (UclValue v : o.getList(key)) {
            out.add(scalar(key, v).asString());
        }
        return out;
    }

    private static UclObject object(String key, UclValue v) {
        if (v instanceof UclObject o) {
            return o;
        }
        throw new ConfigException(v.position(), "\"" + key + "\" must be a section { ... }");
    }

    private static UclScalar scalar(String key, UclValue v) {
        if (v instanceof UclScalar s) {
            return s;
        }
        throw new ConfigException(v.position(), "\"" + key + "\" must be a single value");
    }

    private static double number(String key, UclValue v) {
        UclScalar s = scalar(key, v);
        double d = s.asDouble();
        if (!Double.isFinite(d)) {
            throw new ConfigException(s.position(), "\"" + key + "\" must be a finite number");
        }
        return d;
    }
}
