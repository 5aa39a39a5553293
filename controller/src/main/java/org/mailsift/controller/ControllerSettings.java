package org.mailsift.controller;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.scan.Action;

/**
 * Both HTTP workers' settings plus what /actions shows.
 *
 * @param normal      worker-normal (scans, /ping, /metrics)
 * @param controller  worker-controller (scans, learning, statistics)
 * @param thresholds  action thresholds from actions.conf, for /actions
 * @param actionsFile where /saveactions writes (local.d/actions.conf), or null
 */
public record ControllerSettings(WorkerSettings normal, WorkerSettings controller, Map<Action, Double> thresholds, Path actionsFile) {

    public ControllerSettings {
        thresholds = Map.copyOf(thresholds);
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(WorkerSettings.normalDefaults(), WorkerSettings.controllerDefaults(), defaultThresholds(), null);
    }

    public static ControllerSettings fromConfig(ConfigSource config) {
        WorkerSettings normal = WorkerSettings.fromConfig(config.section("worker-normal"), WorkerSettings.normalDefaults(), config::warn);
        WorkerSettings controller = WorkerSettings.fromConfig(config.section("worker-controller"), WorkerSettings.controllerDefaults(), config::warn);
        Map<Action, Double> thresholds = thresholds(config.section("actions"));
        Path actionsFile = config.directory() == null ? null : config.directory().resolve("local.d").resolve("actions.conf");
        return new ControllerSettings(normal, controller, thresholds, actionsFile);
    }

    public ControllerSettings with(WorkerSettings newNormal, WorkerSettings newController) {
        return new ControllerSettings(newNormal, newController, thresholds, actionsFile);
    }

    static Map<Action, Double> thresholds(UclObject actions) {
        Map<Action, Double> out = new EnumMap<>(Action.class);
        if (actions.keys().isEmpty()) {
            return defaultThresholds();
        }
        for (Action a : Action.values()) {
            if (a.configKey() == null) {
                continue;
            }
            actions.getScalar(a.configKey()).filter(s -> !s.isNull()).ifPresent(s -> out.put(a, s.asDouble()));
        }
        return out;
    }

    static Map<Action, Double> defaultThresholds() {
        Map<Action, Double> out = new EnumMap<>(Action.class);
        out.put(Action.REJECT, 15.0);
        out.put(Action.ADD_HEADER, 6.0);
        out.put(Action.GREYLIST, 4.0);
        return out;
    }
}
