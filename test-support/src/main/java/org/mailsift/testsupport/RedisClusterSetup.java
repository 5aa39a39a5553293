package org.mailsift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A private Redis Cluster of {@code masters} nodes (no replicas) from Debian's {@code redis-server}, each on a free
 * loopback port with its cluster bus on another free port ({@code cluster-port}, so no port+10000 collision), joined
 * with {@code redis-cli --cluster create} and ready once every node reports {@code cluster_state:ok}.
 * {@link #close()} stops every node by its PID.
 */
public final class RedisClusterSetup implements AutoCloseable {
    private final Path dir;
    private final List<RedisProcess> nodes = new ArrayList<>();

    private RedisClusterSetup(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return RedisSentinelSetup.available();
    }

    public static RedisClusterSetup start(int masters) {
        RedisClusterSetup c;
        try {
            c = new RedisClusterSetup(Files.createTempDirectory("mailsift-cluster"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < masters; i++) {
                c.nodes.add(c.node(i));
            }
            List<String> create = new ArrayList<>(List.of(RedisProcess.CLI.toString(), "--cluster", "create"));
            c.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = RedisProcess.run(create);
            if (!out.contains("All 16384 slots covered")) {
                throw new IOException("redis-cli --cluster create failed: " + out);
            }
            if (!RedisProcess.await(15_000, () -> c.nodes.stream().allMatch(n -> n.cli("CLUSTER", "INFO").contains("cluster_state:ok")))) {
                throw new IOException("the cluster did not reach cluster_state:ok");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private RedisProcess node(int index) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePort.onLoopback();
            int bus = FreePort.onLoopback();
            Path d = Files.createDirectories(dir.resolve("node" + index));
            List<String> cmd = List.of(RedisServer.BINARY.toString(), "--port", Integer.toString(port),
                    "--cluster-port", Integer.toString(bus), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--dir", d.toString(), "--cluster-enabled", "yes",
                    "--cluster-config-file", d.resolve("nodes.conf").toString(), "--cluster-node-timeout", "2000");
            try {
                RedisProcess p = RedisProcess.start("cluster-node" + index, port, cmd, "Ready to accept connections");
                return p;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Every node as {@code "127.0.0.1:P1,127.0.0.1:P2,..."}. */
    public String addresses() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return nodes.stream().map(RedisProcess::port).toList();
    }

    /** Runs redis-cli against one node (e.g. {@code CLUSTER KEYSLOT}, {@code DBSIZE}). */
    public String cli(int port, String... args) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node on port " + port)).cli(args);
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
        RedisProcess.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "cluster " + nodes;
    }
}
