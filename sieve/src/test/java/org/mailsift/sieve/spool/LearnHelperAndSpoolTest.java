package org.mailsift.sieve.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;

import com.sun.net.httpserver.HttpServer;

/**
 * The shipped mailsift-learn helper against a small HTTP endpoint that answers like the controller's /learnspam
 * and /learnham, and the spool it falls back to when the daemon is down, drained by {@link SpoolDrainer}.
 */
class LearnHelperAndSpoolTest {
    static final Path HELPER = Path.of(System.getProperty("mailsift.root", "..")).resolve("sieve/src/main/dist/sieve/mailsift-learn");
    static final byte[] MESSAGE = "Subject: cheap pills\nMessage-ID: <p1@x>\n\nbuy now\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> learned = new CopyOnWriteArrayList<>();
    final List<String> passwords = new CopyOnWriteArrayList<>();
    final Map<String, String> env = new java.util.HashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    int startController() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : List.of("/learnspam", "/learnham")) {
            server.createContext(path, ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                learned.add(ex.getRequestMethod() + " " + path + " user=" + ex.getRequestHeaders().getFirst("Deliver-To")
                        + " bytes=" + body.length);
                passwords.add(String.valueOf(ex.getRequestHeaders().getFirst("Password")));
                byte[] reply = "{\"success\":true}".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, reply.length);
                ex.getResponseBody().write(reply);
                ex.close();
            });
        }
        server.start();
        return server.getAddress().getPort();
    }

    static int closedPort() {
        return org.mailsift.testsupport.FreePort.onLoopback();
    }

    record Run(int exit, long millis, String stderr) {
    }

    Run helper(int port, String... args) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/sh", HELPER.toString(), "--url", "http://127.0.0.1:" + port,
                "--spool", tmp.resolve("spool").toString(), "--timeout", "2"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MAILSIFT_LEARN_CONF", tmp.resolve("absent.env").toString());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().write(MESSAGE);
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), (System.nanoTime() - start) / 1_000_000, err);
    }

    /** Learns waiting in the spool: queued in new/ or claimed by the drainer in work/. */
    List<Path> spooled() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String d : List.of("spool/new", "spool/work")) {
            Path dir = tmp.resolve(d);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    all.addAll(s.toList());
                }
            }
        }
        return all;
    }

    @Test
    void helperPostsTheMessageWithTheUserAndLeavesNothingSpooled() throws Exception {
        int port = startController();
        Run spam = helper(port, "spam", "alice@example.org");
        Run ham = helper(port, "ham", "bob");
        assertThat(spam.exit()).isZero();
        assertThat(ham.exit()).isZero();
        assertThat(learned).containsExactly("POST /learnspam user=alice@example.org bytes=" + MESSAGE.length,
                "POST /learnham user=bob bytes=" + MESSAGE.length);
        assertThat(spooled()).isEmpty();
        assertThat(spam.millis()).isLessThan(2000);
    }

    @Test
    void thePasswordIsSentButNeverOnCurlsCommandLine() throws Exception {
        // a curl first on PATH that records its argv (what `ps` shows every local user) and runs the real one
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path argv = tmp.resolve("curl-argv");
        Path wrapper = bin.resolve("curl");
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argv + "'\nexec /usr/bin/curl \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        String password = "s3cret \"quoted\" back\\slash $HOME";
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("MAILSIFT_PASSWORD", password);
        int port = startController();

        assertThat(helper(port, "spam", "alice@example.org").exit()).isZero();

        assertThat(passwords).containsExactly(password);
        assertThat(learned).hasSize(1);
        String commandLine = Files.readString(argv);
        assertThat(commandLine).contains("/learnspam").doesNotContain("s3cret").doesNotContain("Password");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void withoutAPasswordNoPasswordHeaderIsSent() throws Exception {
        int port = startController();
        assertThat(helper(port, "ham", "bob").exit()).isZero();
        assertThat(passwords).containsExactly("null");
    }

    @Test
    void withTheDaemonDownTheHelperSpoolsQuicklyAndTheDrainerLearnsOnceBack() throws Exception {
        Run run = helper(closedPort(), "spam", "alice@example.org");
        assertThat(run.exit()).isZero();
        assertThat(run.millis()).as("the move must not wait long").isLessThan(3000);
        assertThat(run.stderr()).contains("spooled");
        assertThat(spooled()).hasSize(1);
        assertThat(Files.readAllBytes(spooled().get(0))).isEqualTo(MESSAGE);

        RecordingLearner learner = new RecordingLearner();
        SpoolDrainer drainer = new SpoolDrainer(tmp.resolve("spool"), learner, Duration.ofMillis(50));
        assertThat(drainer.drainOnce()).isEqualTo(1);
        assertThat(learner.requests).containsExactly(Map.entry(new LearnRequest(LearnClass.SPAM, "alice@example.org", false, "spool"), MESSAGE.length));
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aFailingLearnerKeepsTheSpooledMessageForTheNextRound() throws Exception {
        helper(closedPort(), "ham", "");
        RecordingLearner learner = new RecordingLearner();
        learner.failing = true;
        SpoolDrainer drainer = new SpoolDrainer(tmp.resolve("spool"), learner, Duration.ofMillis(50));
        assertThat(drainer.drainOnce()).isZero();
        assertThat(spooled()).hasSize(1);
        learner.failing = false;
        assertThat(drainer.drainOnce()).isEqualTo(1);
        assertThat(learner.requests).containsExactly(Map.entry(new LearnRequest(LearnClass.HAM, null, false, "spool"), MESSAGE.length));
    }

    @Test
    void drainerThreadPicksUpNewFilesWhileRunning() throws Exception {
        RecordingLearner learner = new RecordingLearner();
        try (SpoolDrainer drainer = new SpoolDrainer(tmp.resolve("spool"), learner, Duration.ofMillis(50))) {
            drainer.start();
            helper(closedPort(), "spam", "carol");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (learner.requests.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(learner.requests).hasSize(1);
        assertThat(spooled()).isEmpty();
    }

    @Test
    void filesThatAreNotLearnRequestsGoToBad() throws Exception {
        Files.createDirectories(tmp.resolve("spool/new"));
        Files.writeString(tmp.resolve("spool/new/garbage.txt"), "x");
        new SpoolDrainer(tmp.resolve("spool"), new RecordingLearner(), Duration.ofSeconds(1)).drainOnce();
        assertThat(tmp.resolve("spool/bad/garbage.txt")).exists();
        assertThat(spooled()).isEmpty();
    }

    /** Records what it was asked to learn (the real learner is in the scanner module, which sieve must not use). */
    static final class RecordingLearner implements Learner {
        final List<Map.Entry<LearnRequest, Integer>> requests = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            requests.add(Map.entry(request, rawMessage.length));
            return new LearnOutcome(LearnOutcome.Status.LEARNED, "p1@x", "learned");
        }

        @Override
        public LearnStatistics statistics() {
            return new LearnStatistics("test", 0, 0, 0, 0, Map.of(), 0);
        }
    }
}
