package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;

class ServiceGroupTest {
    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** A service that records its start and stop; it may refuse to start or take long to stop. */
    private final class Recorder implements DaemonService {
        private final String name;
        private final boolean enabled;
        private final Exception startFailure;
        private final long stopMillis;

        Recorder(String name, boolean enabled, Exception startFailure, long stopMillis) {
            this.name = name;
            this.enabled = enabled;
            this.startFailure = startFailure;
            this.stopMillis = stopMillis;
        }

        Recorder(String name) {
            this(name, true, null, 0);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean enabled(AgentContext context) {
            return enabled;
        }

        @Override
        public void start(AgentContext context) throws Exception {
            if (startFailure != null) {
                throw startFailure;
            }
            events.add("start " + name);
        }

        @Override
        public void close() throws Exception {
            Thread.sleep(stopMillis);
            events.add("stop " + name);
        }
    }

    private AgentContext context() {
        return new AgentContext(ConfigDirectory.open(dir), dir);
    }

    @Test
    void servicesStopInReverseOrderOfStarting() throws Exception {
        ServiceGroup group = new ServiceGroup(context(),
                List.of(new Recorder("milter"), new Recorder("off", false, null, 0), new Recorder("controller")));
        group.start(Duration.ofSeconds(5));
        assertThat(group.startedCount()).isEqualTo(2);
        assertThat(group.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(group.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(events).containsExactly("start milter", "start controller", "stop controller", "stop milter");
    }

    @Test
    void aServiceThatCannotBindStopsTheOthersAndNamesItself() {
        ServiceGroup group = new ServiceGroup(context(), List.of(new Recorder("controller"),
                new Recorder("milter", true, new BindException("127.0.0.1:11332: Address already in use"), 0),
                new Recorder("never")));
        assertThatThrownBy(() -> group.start(Duration.ofSeconds(5)))
                .isInstanceOf(ServiceGroup.ServiceStartException.class)
                .hasMessage("cannot start milter: 127.0.0.1:11332: Address already in use");
        assertThat(events).containsExactly("start controller", "stop controller");
    }

    @Test
    void stoppingIsBoundedInTime() throws Exception {
        ServiceGroup group = new ServiceGroup(context(), List.of(new Recorder("slow", true, null, 10_000)));
        group.start(Duration.ofSeconds(1));
        long began = System.nanoTime();
        assertThat(group.stop(Duration.ofMillis(200))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    }
}
