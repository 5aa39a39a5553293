package org.mailsift.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.controller.api.ActionsEndpoints;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.scanner.EngineFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the controller's /actions shows is what the engine decides with, for every form of actions.conf Rspamd
 * accepts: both read it through core's one ActionsSettings.
 */
class ActionsAgreementTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}/actions.conf: {1}")
    @CsvSource(delimiter = '|', value = {
            "local.d    | ",
            "local.d    | reject = 20;",
            "local.d    | greylist = null;",
            "local.d    | add_header { score = 5; }",
            "local.d    | add_header { score = null; }",
            "local.d    | actions { reject = 30; add_header = 7; }",
            "local.d    | rewrite_subject = 8; subject = \"[SPAM] %s\";",
            "local.d    | reject = \"25\"; soft_reject = 12;",
            "local.d    | reject = null; add_header = -3.5;",
            "override.d | reject = 50;",
            "override.d | actions { greylist = 2; }"})
    void slashActionsShowsTheEnginesThresholds(String where, String text) throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.createDirectories(etc.resolve(where));
        Files.writeString(etc.resolve(where).resolve("actions.conf"), text == null ? "" : text);
        ConfigDirectory config = ConfigDirectory.open(etc);

        Map<String, Double> engine = new LinkedHashMap<>(EngineFactory.create(config, List.of())
                .scan("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), Envelope.EMPTY).thresholds());
        engine.keySet().removeIf(a -> a.equals("discard") || a.equals("quarantine")); // not in Rspamd's /actions either

        JsonNode actions = new ObjectMapper().readTree(new ActionsEndpoints(ControllerSettings.fromConfig(config).thresholds(), null)
                .actions(null).body());
        Map<String, Double> shown = new LinkedHashMap<>();
        actions.forEach(a -> shown.put(a.get("action").asText(), a.get("value").asDouble()));

        assertThat(shown).isEqualTo(engine);
    }
}
