package org.mailsift.controller.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.controller.webui.ThroughputRecorder.Point;
import org.mailsift.controller.webui.ThroughputRecorder.Resolution;
import org.mailsift.core.scan.Action;

class ThroughputRecorderTest {
    private static final long NOW = 1_800_000_000L; // a multiple of every step

    @TempDir
    Path dir;

    @Test
    void countsPerActionAreRatesPerStepAndUnknownTimeIsNull() {
        ThroughputRecorder r = new ThroughputRecorder(null, NOW);
        r.record(Action.REJECT, NOW + 10);
        r.record(Action.REJECT, NOW + 20);
        r.record(Action.NO_ACTION, NOW + 30);
        r.record(Action.DISCARD, NOW + 40);

        Point[][] hourly = r.series(Resolution.HOURLY, NOW + 50);

        assertThat(hourly).hasNumberOfRows(6);
        assertThat(hourly[0]).hasSize(60);
        assertThat(hourly[0][59]).isEqualTo(new Point(NOW, 3 / 60.0));
        assertThat(hourly[5][59].y()).isEqualTo(1 / 60.0);
        assertThat(hourly[3][59].y()).isZero();
        assertThat(hourly[0][0].y()).as("before the graph existed").isNull();
        assertThat(r.series(Resolution.MONTHLY, NOW + 50)[0][371].y()).isEqualTo(3 / 7200.0);
    }

    @Test
    void oldStepsAreOverwrittenWhenTheirSlotComesRound() {
        ThroughputRecorder r = new ThroughputRecorder(null, NOW);
        r.record(Action.NO_ACTION, NOW);
        r.record(Action.NO_ACTION, NOW + 3600); // same hourly slot, an hour later

        Point[] clean = r.series(Resolution.HOURLY, NOW + 3600)[5];

        assertThat(clean[59].y()).isEqualTo(1 / 60.0);
        assertThat(clean[0].y()).isZero();
    }

    @Test
    void theGraphSurvivesARestartAndAnUnreadableFileStartsEmpty() throws Exception {
        ThroughputRecorder first = new ThroughputRecorder(dir, NOW);
        first.record(Action.ADD_HEADER, NOW + 5);
        first.save();
        assertThat(dir.resolve("throughput.json")).exists();
        assertThat(dir.resolve("throughput.json.tmp")).doesNotExist();

        ThroughputRecorder second = new ThroughputRecorder(dir, NOW + 600);
        assertThat(second.series(Resolution.DAILY, NOW + 600)[3][285].y()).isEqualTo(1 / 300.0);

        Files.writeString(dir.resolve("throughput.json"), "{ not json");
        ThroughputRecorder third = new ThroughputRecorder(dir, NOW + 600);
        assertThat(third.series(Resolution.DAILY, NOW + 600)[3][285].y()).as("nothing known before this start").isNull();
        assertThat(third.series(Resolution.DAILY, NOW + 600)[3][287].y()).isZero();
    }
}
