package org.mailsift.controller;

import java.nio.file.Path;
import java.util.Map;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;

/**
 * Both HTTP workers' settings plus what /actions shows.
 *
 * @param normal      worker-normal (scans, /ping, /metrics)
 * @param controller  worker-controller (scans, learning, statistics)
 * @param thresholds  action thresholds from actions.conf as the engine reads them (core's ActionsSettings), for /actions
 * @param actionsFile where /saveactions writes (actions.conf in the data directory's dynamic/, else in local.d), or null
 */
public record ControllerSettings(WorkerSettings normal, WorkerSettings controller, Map<Action, Double> thresholds, Path actionsFile) {

    public ControllerSettings {
        thresholds = Map.copyOf(thresholds);
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(WorkerSettings.normalDefaults(), WorkerSettings.controllerDefaults(),
                ActionsSettings.DEFAULTS.thresholds(), null);
    }

    public static ControllerSettings fromConfig(ConfigSource config) {
        WorkerSettings normal = WorkerSettings.fromConfig(config.section("worker-normal"), WorkerSettings.normalDefaults(), config::warn);
        WorkerSettings controller = WorkerSettings.fromConfig(config.section("worker-controller"), WorkerSettings.controllerDefaults(), config::warn);
        Map<Action, Double> thresholds = ActionsSettings.from(config).thresholds();
        Path saved = config.savedSettingsDirectory();
        Path actionsFile = saved == null ? null : saved.resolve("actions.conf");
        return new ControllerSettings(normal, controller, thresholds, actionsFile);
    }

    public ControllerSettings with(WorkerSettings newNormal, WorkerSettings newController) {
        return new ControllerSettings(newNormal, newController, thresholds, actionsFile);
    }
}
