package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import sun.misc.Signal;

/**
 * SIGHUP in a JVM of its own whose disposition the test sets (env --default-signal / --ignore-signal), so the result
 * never depends on how the test JVM itself was started (under nohup, SIGHUP is inherited ignored).
 */
class ReloadSignalTest {

    /** The child: installs the reload handler, reports the outcome, raises SIGHUP and reports whether it reloaded. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            CountDownLatch reloaded = new CountDownLatch(1);
            ReloadSignal.Outcome outcome = ReloadSignal.install(reloaded::countDown);
            System.out.println("outcome " + outcome);
            System.out.flush();
            Signal.raise(new Signal("HUP"));
            // still alive here means SIGHUP did not kill the process; when installed, the reload runs on its own thread
            boolean ran = reloaded.await(outcome == ReloadSignal.Outcome.INSTALLED ? 30 : 1, TimeUnit.SECONDS);
            System.out.println(ran ? "reloaded" : "not reloaded");
        }
    }

    record Run(int exit, String output) {
    }

    static Run probe(String signalDisposition) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("env", signalDisposition, java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aSighupToTheProcessRunsTheReloadInsteadOfKillingIt() throws Exception {
        Run run = probe("--default-signal=HUP");
        assertThat(run.output()).contains("outcome INSTALLED").contains("reloaded").doesNotContain("not reloaded");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aSighupIgnoredAtStartIsReportedWithTheOtherWayToReload() throws Exception {
        Run run = probe("--ignore-signal=HUP");
        assertThat(run.output()).contains("outcome IGNORED_AT_START").contains("not reloaded")
                .contains("SIGHUP was ignored when the daemon started").contains("mailsift reload");
        assertThat(run.exit()).as("an ignored SIGHUP does not kill it either").isZero();
    }
}
