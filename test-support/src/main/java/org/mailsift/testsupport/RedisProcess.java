package org.mailsift.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code redis-server} process (data node or {@code --sentinel}) started by the multi-node harnesses
 * ({@link RedisSentinelSetup}, {@link RedisClusterSetup}); ready once its log prints {@code readyLine}.
 */
final class RedisProcess {
    static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final String name;
    private final int port;
    private final Process process;

    private RedisProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    static RedisProcess start(String name, int port, List<String> command, String readyLine) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!ready.isDone()) {
                        output.add(line);
                        if (line.contains(readyLine)) {
                            ready.complete(true);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.complete(false);
        }, name + "-output");
        drain.setDaemon(true);
        drain.start();
        boolean ok;
        try {
            ok = ready.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IOException(name + " on port " + port + " did not start: " + String.join(" | ", output));
        }
        return new RedisProcess(name, port, p);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends a signal (STOP: the server hangs with its connections open, as behind a network partition; CONT). */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crash: nothing is flushed, clients see the connection drop. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code redis-cli -p PORT args...} against this process; returns its output (trimmed). */
    String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(CLI.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public String toString() {
        return name + "(port " + port + ", pid " + process.pid() + ")";
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code millis} pass; returns whether it held. */
    static boolean await(long millis, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
