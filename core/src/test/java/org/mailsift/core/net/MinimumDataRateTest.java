package org.mailsift.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclParser;

class MinimumDataRateTest {
    private static MinimumDataRate read(String conf) {
        return MinimumDataRate.from(new UclParser(Map.of()).parse(conf, "worker-controller.inc", Path.of(".")),
                MinimumDataRate.DEFAULT);
    }

    @Test
    void everyMinRateBytesReceivedEarnOneMoreSecond() {
        MinimumDataRate r = new MinimumDataRate(Duration.ofSeconds(20), 500);
        assertThat(r.deadlineNanos(0, 0)).isEqualTo(Duration.ofSeconds(20).toNanos());
        assertThat(r.deadlineNanos(0, 5_000)).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(r.deadlineNanos(0, Long.MAX_VALUE)).isPositive(); // no overflow into the past
    }

    @Test
    void theDefaultsAreApachesAndTheOptionsOverrideThem() {
        assertThat(read("")).isEqualTo(new MinimumDataRate(Duration.ofSeconds(20), 500));
        assertThat(read("body_timeout = 60s;\nbody_min_rate = 100;\n")).isEqualTo(new MinimumDataRate(Duration.ofSeconds(60), 100));
    }

    @Test
    void aNonPositiveValueIsAConfigErrorNamingItsPlace() {
        assertThatThrownBy(() -> read("max_connections = 5;\nbody_min_rate = 0;\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("worker-controller.inc:2:").hasMessageContaining("body_min_rate");
        assertThatThrownBy(() -> read("body_timeout = 0;\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("worker-controller.inc:1:").hasMessageContaining("body_timeout");
    }
}
