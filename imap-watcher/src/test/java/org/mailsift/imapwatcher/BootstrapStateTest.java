package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;

class BootstrapStateTest {
    @TempDir
    Path dir;

    @Test
    void whatWasRecordedSurvivesAReopenAndALineCutShortByACrashIsIgnored() throws Exception {
        Path file = BootstrapState.fileFor(dir, "alice@example.test");
        try (BootstrapState s = BootstrapState.open(file)) {
            s.learned(LearnClass.SPAM, "Junk", 7, 1);
            s.learned(LearnClass.HAM, "INBOX", 9, 3);
            s.unreadable("Junk", 7, 2);
            assertThat(s.complete()).isFalse();
        }
        // a crash in the middle of the next record
        Files.writeString(file, "learned\tham\tINBOX\t9\t", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (BootstrapState s = BootstrapState.open(file)) {
            assertThat(s.learned(LearnClass.SPAM)).isEqualTo(1);
            assertThat(s.learned(LearnClass.HAM)).isEqualTo(1);
            assertThat(s.done("Junk", 7, 1)).isTrue();
            assertThat(s.done("Junk", 7, 2)).isTrue();
            assertThat(s.done("Junk", 8, 1)).as("another UIDVALIDITY: another message").isFalse();
            s.learned(LearnClass.HAM, "INBOX", 9, 4);
            s.markComplete();
        }
        try (BootstrapState s = BootstrapState.open(file)) {
            assertThat(s.learned(LearnClass.HAM)).isEqualTo(2);
            assertThat(s.done("INBOX", 9, 4)).isTrue();
            assertThat(s.complete()).isTrue();
        }
    }

    @Test
    void onlyOneRunAtATimeHoldsAnAccount() throws Exception {
        Path file = BootstrapState.fileFor(dir, "alice");
        try (BootstrapState first = BootstrapState.open(file)) {
            assertThat(first).isNotNull();
            assertThat(BootstrapState.open(file)).isNull();
        }
        try (BootstrapState again = BootstrapState.open(file)) {
            assertThat(again).isNotNull();
        }
    }
}
