package org.mailsift.scanner.settings;

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
import org.mailsift.core.scan.Action;

/**
 * actions.conf: score thresholds per action ({@code null} disables one) and the rewrite-subject template.
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

    public static ActionsSettings from(ConfigSource config) {
        return from(Sections.read(config, "actions"), config);
    }

    public static ActionsSettings from(UclObject section, ConfigSource config) {
        section = Sections.unwrap(section, "actions");
        section.warnUnknown("actions", KNOWN, config::warn);
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
                thresholds.put(a, s.asDouble());
            } else if (v instanceof UclObject o) {
                // Rspamd also accepts { score = 15; }
                Optional<UclScalar> score = o.getScalar("score");
                if (score.isPresent() && !score.get().isNull()) {
                    thresholds.put(a, score.get().asDouble());
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
