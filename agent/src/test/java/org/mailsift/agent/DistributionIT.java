package org.mailsift.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged distribution's launcher, agent/target/mailsift/bin/mailsift, as an admin would. Runs in the
 * integration-test phase (after package builds the tree); skipped when the tree is absent.
 */
class DistributionIT {
    private static final Path DIST = Path.of("target", "mailsift");

    @TempDir
    Path dir;

    @BeforeEach
    void distributionIsBuilt() {
        Assumptions.assumeTrue(Files.isExecutable(DIST.resolve("bin/mailsift")), "no distribution in " + DIST);
    }

    private ProcessBuilder mailsift(String... args) {
        List<String> command = new ArrayList<>();
        command.add(DIST.resolve("bin/mailsift").toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // the JVM running this test is a Java 21+; the launcher checks it like any other
        pb.environment().put("MAILSIFT_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return pb;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) throws Exception {
        Process p = mailsift(args).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result r = run("--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("usage: mailsift <command>").contains("run").contains("configtest")
                .contains("configdump");
    }

    @Test
    void theShippedConfigurationPassesConfigtest() throws Exception {
        Result r = run("configtest");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("syntax OK\n");
    }

    @Test
    void runStartsAndStopsCleanlyOnSigterm() throws Exception {
        Path conf = copyOfShippedConfigWithFreePorts();
        Process p = mailsift("run", "-c", conf.toString(), "--dbdir", dir.resolve("data").toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = log.readLine()) != null) {
                lines.add(line);
                if (line.contains("mailsift running")) {
                    break;
                }
            }
            assertThat(lines).as("log until ready").anyMatch(l -> l.contains("mailsift running"));
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            while ((line = log.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).anyMatch(l -> l.contains("received SIGTERM")).anyMatch(l -> l.endsWith("stopped"));
    }

    @Test
    void anAddressInUseIsNamedAndExits1() throws Exception {
        Path conf = copyOfShippedConfigWithFreePorts();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            for (String worker : List.of("worker-normal", "worker-controller", "worker-proxy")) {
                Files.writeString(conf.resolve("local.d/" + worker + ".inc"), "bind_socket = \"" + address + "\";\n");
            }
            Result r = run("run", "-c", conf.toString(), "--dbdir", dir.resolve("data").toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).containsPattern("(?m)^mailsift: cannot start .*" + address.replace(".", "\\."));
        }
    }

    /** The shipped etc/ with every worker moved to a free loopback port, so the test never meets a running daemon. */
    private Path copyOfShippedConfigWithFreePorts() throws IOException {
        Path conf = dir.resolve("etc");
        try (var files = Files.walk(DIST.resolve("etc"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = conf.resolve(DIST.resolve("etc").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        for (String worker : List.of("worker-normal", "worker-controller", "worker-proxy")) {
            Files.writeString(conf.resolve("local.d/" + worker + ".inc"),
                    "bind_socket = \"127.0.0.1:" + org.mailsift.testsupport.FreePort.onLoopback() + "\";\n");
        }
        return conf;
    }

}
