package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailsift.core.config.UclParser;
import org.mailsift.scanner.bayes.BayesModule;
import org.mailsift.scanner.bayes.BayesSettings;

/**
 * Opens the Redis store the way the daemon does: from the text of {@code classifier-bayes.conf} and
 * {@code redis.conf}, through the UCL parser, {@link BayesSettings#from} and {@link BayesModule#openStore}.
 */
final class OperatorConfig {
    private OperatorConfig() {
    }

    static RedisBayesStore open(String classifierBayesConf, String redisConf, Path dataDir) {
        List<String> warnings = new ArrayList<>();
        BayesSettings settings = BayesSettings.from(
                new UclParser(Map.of()).parse(classifierBayesConf, "classifier-bayes.conf", dataDir),
                new UclParser(Map.of()).parse(redisConf, "redis.conf", dataDir), 15, warnings::add);
        assertThat(warnings).as("configuration warnings").isEmpty();
        assertThat(settings.backend()).isEqualTo("redis");
        return (RedisBayesStore) BayesModule.openStore(settings, dataDir);
    }
}
