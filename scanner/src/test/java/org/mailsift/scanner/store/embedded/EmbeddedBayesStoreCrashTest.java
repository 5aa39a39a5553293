package org.mailsift.scanner.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.LearnClass;

/** kill -9 during learning loses no acknowledged learn and leaves a store that opens and is consistent. */
class EmbeddedBayesStoreCrashTest {
    @TempDir
    Path temp;

    @RepeatedTest(3)
    void killMinusNineWhileLearningLosesNoAcknowledgedLearn() throws Exception {
        Path dir = temp.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingLearner.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int lastAck = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int target = 400 + (int) (Math.random() * 400);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("ack ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                    if (lastAck >= target) {
                        child.destroyForcibly(); // SIGKILL, while it keeps learning
                        break;
                    }
                }
            }
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lastAck).isGreaterThanOrEqualTo(400);

        try (BayesStore s = EmbeddedBayesStore.open(dir)) {
            for (int i = 0; i <= lastAck; i++) {
                assertThat(s.learnedAs(null, "m" + i)).as("acknowledged learn m%d", i).isEqualTo(LearnClass.SPAM);
            }
            long learns = s.learns(null).spam();
            // the child ran ahead of the acks we read; whatever landed is a prefix m0..m(learns-1), nothing torn
            assertThat(learns).isGreaterThanOrEqualTo(lastAck + 1);
            assertThat(s.learnedAs(null, "m" + (learns - 1))).isEqualTo(LearnClass.SPAM);
            assertThat(s.learnedAs(null, "m" + learns)).isNull();
            assertThat(s.lookup(null, new long[] {42}).spam()).containsExactly(learns);
        }
    }
}
