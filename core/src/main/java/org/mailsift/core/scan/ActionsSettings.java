package org.mailsift.core.scan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;

/**
 * actions.conf, the one reading of it for every module (the engine's verdicts, the controller's /actions and
 * /saveactions, configtest): score thresholds per action and the rewrite-subject template, in every form Rspamd
 * accepts: {@code reject = 15;}, {@code reject = null;} (disabled), {@code reject { score = 15; }}, the whole file
 * wrapped in {@code actions { ... }}, and any subset (an action not mentioned keeps its default).
 * Defaults as Rspamd: reject 15, add_header 6, greylist 4, rewrite_subject disabled.
 */
public record ActionsSettings(Map<Action, Double> thresholds, String subjectTemplate) {
    public static final String DEFAULT_SUBJECT = "*** SPAM *** %s";
    public static final ActionsSettings DEFAULTS = new ActionsSettings(defaults(), DEFAULT_SUBJECT);
    private static final Set<String> KNOWN = Set.of("reject", "add_header", "rewrite_subject", "greylist", "soft_reject",
            "discard", "quarantine", "subject", "unknown_weight", "grow_factor");

    public ActionsSettings {
        EnumMap<Action, Double> copy = new EnumMap<>(Action.class);
        copy.putAll(thresholds);
        thresholds = Collections.unmodifiableMap(copy);
    }

    private static Map<Action, Double> defaults() {
        Map<Action, Double> m = new EnumMap<>(Action.class);
        m.put(Action.REJECT, 15.0);
        m.put(Action.ADD_HEADER, 6.0);
        m.put(Action.GREYLIST, 4.0);
        return m;
    }

    public static final String SECTION = "actions";

    public static ActionsSettings from(ConfigSource config) {
        return from(config.section(SECTION), config::warn);
    }

    /** Reads the section; unknown options go to {@code warnings}, bad values throw {@link ConfigException}. */
    public static ActionsSettings from(UclObject section, java.util.function.Consumer<String> warnings) {
        if (section.keys().size() == 1 && section.has(SECTION)) {
            section = section.getObject(SECTION).orElse(section); // the file may wrap itself in actions { ... }
        }
        section.warnUnknown(SECTION, KNOWN, warnings);
        Map<Action, Double> thresholds = new EnumMap<>(Action.class);
        thresholds.putAll(defaults());
        for (Action a : Action.values()) {
            if (a.configKey() == null || !section.has(a.configKey())) {
                continue;
            }
            UclValue v = section.get(a.configKey()).orElseThrow();
            if (v instanceof UclScalar s && s.isNull()) {
                thresholds.remove(a);
            } else if (v instanceof UclScalar s) {
                thresholds.put(a, number(s, a));
            } else if (v instanceof UclObject o) {
                // Rspamd also accepts { score = 15; }
                Optional<UclScalar> score = o.getScalar("score");
                if (score.isPresent() && !score.get().isNull()) {
                    thresholds.put(a, number(score.get(), a));
                } else {
                    thresholds.remove(a);
                }
            } else {
                throw new ConfigException(v.position(), "\"" + a.configKey() + "\" must be a number or null");
            }
        }
        String subject = section.getScalar("subject").map(UclScalar::asString).orElse(DEFAULT_SUBJECT);
        return new ActionsSettings(thresholds, subject == null ? DEFAULT_SUBJECT : subject);
    }

    private static double number(UclScalar s, Action a) {
        double d;
        try {
            d = s.asDouble();
        } catch (RuntimeException e) {
            throw new ConfigException(s.position(), "\"" + a.configKey() + "\" must be a number or null");
        }
        if (!Double.isFinite(d)) {
            throw new ConfigException(s.position(), "\"" + a.configKey() + "\" must be a finite number");
        }
        return d;
    }

    /** A copy with {@code changed} thresholds (a null value disables that action), the others kept. */
    public ActionsSettings with(Map<Action, Double> changed) {
        Map<Action, Double> t = new EnumMap<>(Action.class);
        t.putAll(thresholds);
        changed.forEach((a, v) -> {
            if (v == null) {
                t.remove(a);
            } else {
                t.put(a, v);
            }
        });
        return new ActionsSettings(t, subjectTemplate);
    }

    /** The reject threshold (Rspamd's required_score); NaN when reject is disabled. */
    public double requiredScore() {
        return thresholds.getOrDefault(Action.REJECT, Double.NaN);
    }

    /** The action with the highest threshold that the score reaches, or no action. */
    public Action actionFor(double score) {
        Action best = Action.NO_ACTION;
        double bestThreshold = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Action, Double> e : thresholds.entrySet()) {
            double t = e.getValue();
            if (score >= t && t >= bestThreshold) {
                best = e.getKey();
                bestThreshold = t;
            }
        }
        return best;
    }

    /** Enabled actions with their thresholds, Rspamd wire names, highest first (the /checkv2 "thresholds" object). */
    public Map<String, Double> wireThresholds() {
        Map<String, Double> out = new LinkedHashMap<>();
        thresholds.entrySet().stream()
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> out.put(e.getKey().wireName(), e.getValue()));
        return out;
    }

    /** Applies the subject template: %s the original subject, %d the score (two decimals), %% a percent sign. */
    public String rewriteSubject(String subject, double score) {
        StringBuilder out = new StringBuilder();
        String t = subjectTemplate;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '%' && i + 1 < t.length()) {
                char n = t.charAt(i + 1);
                if (n == 's') {
                    out.append(subject == null ? "" : subject);
                    i++;
                    continue;
                } else if (n == 'd') {
                    out.append(String.format(java.util.Locale.ROOT, "%.2f", score));
                    i++;
                    continue;
                } else if (n == '%') {
                    out.append('%');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
