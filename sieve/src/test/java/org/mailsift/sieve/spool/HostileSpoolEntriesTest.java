package org.mailsift.sieve.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;

/**
 * A local user who can write the spool's new/ (the mail user, or anyone in its group) tries to make the drainer read
 * files it must not, hang, run out of memory or stop learning: each such entry goes to bad/ with one log line and the
 * legitimate learn queued behind it is still learned in the same pass.
 */
class HostileSpoolEntriesTest {
    static final byte[] GOOD = "Subject: real spam\nMessage-ID: <good@x>\n\nbuy now\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    Path spool;
    Path newDir;
    final RecordingLearner learner = new RecordingLearner();

    @BeforeEach
    void layout() throws IOException {
        spool = tmp.resolve("spool");
        newDir = Files.createDirectories(spool.resolve("new"));
    }

    /** A hostile entry sorted before the good one, so the good one is only learned when the drain goes on. */
    Path hostile(String user) {
        return newDir.resolve(SpoolEntry.fileName(LearnClass.HAM, user, 1, 1, 1));
    }

    void queueGood() throws IOException {
        Files.write(newDir.resolve(SpoolEntry.fileName(LearnClass.SPAM, "victim", 2, 2, 2)), GOOD);
    }

    SpoolDrainer drainer;

    int drain(long maxBytes) {
        if (drainer == null) {
            drainer = new SpoolDrainer(spool, learner, Duration.ofMillis(50), maxBytes);
        }
        return assertTimeoutPreemptively(Duration.ofSeconds(20), drainer::drainOnce, "the drainer hung");
    }

    void assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(Path hostile) throws IOException {
        assertThat(learner.messages).containsExactly(new String(GOOD, StandardCharsets.US_ASCII));
        assertThat(list(spool.resolve("new"))).isEmpty();
        assertThat(list(spool.resolve("work"))).isEmpty();
        assertThat(list(spool.resolve("bad"))).extracting(p -> p.getFileName().toString()).containsExactly(hostile.getFileName().toString());
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aSymlinkToARootOnlyFileIsNeverRead() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "root password: hunter2\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(hostile("attacker"), secret);
        queueGood();

        assertThat(drain(1 << 20)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(link);
        assertThat(Files.isSymbolicLink(spool.resolve("bad").resolve(link.getFileName()))).isTrue();
        assertThat(Files.readString(secret)).contains("hunter2"); // the target itself is untouched
    }

    @Test
    void aSymlinkToDevZeroNeitherHangsNorExhaustsMemory() throws Exception {
        Path link = Files.createSymbolicLink(hostile("attacker"), Path.of("/dev/zero"));
        queueGood();

        assertThat(drain(SpoolDrainer.DEFAULT_MAX_BYTES)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(link);
    }

    @Test
    void aDirectoryNamedLikeAnEntryDoesNotBlockTheQueue() throws Exception {
        Path dir = Files.createDirectories(hostile("attacker"));
        Files.writeString(dir.resolve("inside"), "x");
        queueGood();

        assertThat(drain(1 << 20)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(dir);
        assertThat(drain(1 << 20)).as("nothing is retried").isZero();
    }

    @Test
    void aFifoNamedLikeAnEntryDoesNotHangTheDrainer() throws Exception {
        Path fifo = hostile("attacker");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        queueGood();

        assertThat(drain(1 << 20)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(fifo);
    }

    @Test
    void aMessageOverTheSizeLimitGoesToBad() throws Exception {
        Path big = Files.write(hostile("attacker"), new byte[4097]);
        queueGood();

        assertThat(drain(4096)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(big);
    }

    @Test
    void aHardLinkToAnotherFileIsRefused() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "private\n");
        Path link = Files.createLink(hostile("attacker"), secret);
        queueGood();

        assertThat(drain(1 << 20)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(link);
    }

    @Test
    void aFileOfAnotherUserOutsideTheSpoolGroupIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(selfUid() == 0, "only root can give a file away");
        Path foreign = Files.writeString(hostile("attacker"), "Subject: x\n\nforeign\n");
        Files.setAttribute(foreign, "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(foreign, "unix:gid", 54321, LinkOption.NOFOLLOW_LINKS);
        queueGood();

        assertThat(drain(1 << 20)).isEqualTo(1);

        assertOnlyTheGoodMessageWasLearnedAndTheHostileOneIsInBad(foreign);
    }

    @Test
    void aWorkDirectoryPlantedByAnotherUserStopsNothingButIsNeverUsed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(selfUid() == 0, "only root can give a directory away");
        Path work = Files.createDirectories(spool.resolve("work"));
        Files.setAttribute(work, "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
        queueGood();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> drain(1 << 20)).hasMessageContaining("not a directory of the daemon's own user");

        assertThat(learner.messages).isEmpty();
        assertThat(list(newDir)).hasSize(1); // left where the helper put it, for when work/ is ours again
    }

    @Test
    void aMessageTheLearnerFailsOnWhileOthersLearnEndsInBadAfterThreeRounds() throws Exception {
        Path poison = Files.writeString(hostile("attacker"), "Subject: poison\n\nPOISON\n");
        learner.poison = "POISON";
        for (int round = 1; round <= SpoolDrainer.MAX_STRIKES; round++) {
            Files.write(newDir.resolve(SpoolEntry.fileName(LearnClass.SPAM, "victim", 2, 2, round)), GOOD);
            assertThat(drain(1 << 20)).as("round %d", round).isEqualTo(1);
        }
        assertThat(list(spool.resolve("bad"))).extracting(p -> p.getFileName().toString()).containsExactly(poison.getFileName().toString());
        assertThat(learner.messages).hasSize(SpoolDrainer.MAX_STRIKES);
    }

    @Test
    void whenTheStoreIsDownEveryEntryStaysForTheNextRound() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.write(newDir.resolve(SpoolEntry.fileName(LearnClass.SPAM, "u", 2, 2, i)), GOOD);
        }
        learner.down = true;
        for (int round = 0; round < SpoolDrainer.MAX_STRIKES + 2; round++) {
            assertThat(drain(1 << 20)).isZero();
        }
        assertThat(list(spool.resolve("bad"))).isEmpty();
        learner.down = false;
        assertThat(drain(1 << 20)).isEqualTo(5);
    }

    static int selfUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    static final class RecordingLearner implements Learner {
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile String poison;

        @Override
        public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
            String text = new String(rawMessage, StandardCharsets.ISO_8859_1);
            if (down) {
                throw new IllegalStateException("store down");
            }
            if (poison != null && text.contains(poison)) {
                throw new IllegalArgumentException("cannot parse");
            }
            messages.add(text);
            return new LearnOutcome(LearnOutcome.Status.LEARNED, "x", "learned");
        }

        @Override
        public LearnStatistics statistics() {
            return new LearnStatistics("test", 0, 0, 0, 0, Map.of(), 0);
        }
    }
}
