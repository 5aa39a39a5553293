package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.Main;

/**
 * Kills {@code mailsift deliver} (a child JVM running the real command) with SIGKILL at random moments and checks
 * the Maildir invariant: new/ and cur/ only ever hold complete messages (size equal to the S= in the name, whole
 * body present). A killed deliver exits by signal (non-zero, never 0), which Postfix treats as a failed delivery
 * and retries, so a kill before the rename loses nothing; a kill after it can only cause a duplicate.
 */
class DeliverCrashTest {
    static final Pattern SIZE = Pattern.compile(",S=(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void killingDeliverAtRandomPointsNeverLeavesAPartialMessageVisible() throws Exception {
        StringBuilder sb = new StringBuilder("From: bob@example.org\nTo: alice@example.com\nSubject: big\nMessage-ID: <big@example.org>\n\n");
        for (int i = 0; sb.length() < 2_000_000; i++) {
            sb.append("line ").append(i).append(" of a large attachment-like body, padded to make writing take a while\n");
        }
        sb.append("END-OF-MESSAGE\n");
        byte[] message = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Path maildir = tmp.resolve("alice/Maildir");

        long start = System.nanoTime();
        assertThat(run(message, maildir, -1)).isZero();
        long fullMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(visible(maildir)).hasSize(1);

        Random random = new Random(42);
        int succeeded = 1;
        int killed = 0;
        for (int i = 0; i < 8; i++) {
            // JVM start and the scan take most of a run; aim most kills at the second half, where the file is written
            long delay = i < 2 ? random.nextInt((int) fullMillis / 2 + 1) : fullMillis / 2 + random.nextInt((int) (fullMillis * 0.7) + 1);
            int exit = run(message, maildir, delay);
            if (exit == 0) {
                succeeded++;
            } else {
                killed++;
                assertThat(exit).as("a killed deliver must not report success").isNotZero();
            }
        }
        List<Path> visible = visible(maildir);
        assertThat(visible.size()).isGreaterThanOrEqualTo(succeeded);
        for (Path f : visible) {
            Matcher m = SIZE.matcher(f.getFileName().toString());
            assertThat(m.find()).isTrue();
            assertThat(Files.size(f)).as(f.toString()).isEqualTo(Long.parseLong(m.group(1)));
            assertThat(Files.readString(f)).endsWith("END-OF-MESSAGE\n");
        }
        System.out.printf("deliver crash test: full run %d ms, %d completed, %d killed, %d visible, %d left in tmp/%n",
                fullMillis, succeeded, killed, visible.size(), list(maildir.resolve("tmp")).size());
    }

    private int run(byte[] message, Path maildir, long killAfterMillis) throws Exception {
        String root = System.getProperty("mailsift.root", "..");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "deliver", "-c", Path.of(root, "etc").toString(), "--dbdir", tmp.resolve("data").toString(),
                "-d", "alice", "-f", "bob@example.org", "--maildir", maildir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(message);
            } catch (IOException killedMeanwhile) {
                // the child died while we were writing
            }
        });
        if (killAfterMillis >= 0 && !p.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        writer.join();
        return p.exitValue();
    }

    private static List<Path> visible(Path maildir) throws IOException {
        List<Path> out = new ArrayList<>(list(maildir.resolve("new")));
        out.addAll(list(maildir.resolve("cur")));
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
