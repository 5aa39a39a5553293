package org.mailsift.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A private Redis Sentinel deployment from Debian's {@code redis-server}: one master, one replica and one or more
 * {@code redis-server --sentinel} processes monitoring it as {@value #MASTER_NAME}, all on free loopback ports in a
 * temporary directory. Quorum is 1 and the timeouts are short ({@value #DOWN_AFTER_MILLIS} ms until the master is
 * considered down), so a failover after {@link #killMaster()} completes in a few seconds. {@link #close()} stops
 * every process it started, by its PID.
 */
public final class RedisSentinelSetup implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    static final int DOWN_AFTER_MILLIS = 1000;

    private final Path dir;
    private final List<RedisProcess> processes = new ArrayList<>();
    private RedisProcess master;
    private RedisProcess replica;
    private final List<RedisProcess> sentinels = new ArrayList<>();

    private RedisSentinelSetup(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(RedisServer.BINARY) && Files.isExecutable(RedisProcess.CLI);
    }

    /** Starts master, replica (in sync before this returns) and {@code sentinelCount} sentinels that know both. */
    public static RedisSentinelSetup start(int sentinelCount) {
        RedisSentinelSetup s;
        try {
            s = new RedisSentinelSetup(Files.createTempDirectory("mailsift-sentinel"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            s.master = s.dataNode("master");
            s.replica = s.dataNode("replica", "--replicaof", "127.0.0.1", Integer.toString(s.master.port()));
            if (!RedisProcess.await(10_000, () -> s.replica.cli("INFO", "replication").contains("master_link_status:up"))) {
                throw new IOException("the replica did not sync with the master");
            }
            for (int i = 0; i < sentinelCount; i++) {
                s.sentinels.add(s.sentinel(i));
            }
            boolean known = RedisProcess.await(15_000, () -> s.sentinels.stream().allMatch(x ->
                    s.sentinelSeesReplica(x) && (sentinelCount == 1 || x.cli("SENTINEL", "SENTINELS", MASTER_NAME)
                            .lines().filter(l -> l.equals("runid")).count() >= sentinelCount - 1)));
            if (!known) {
                throw new IOException("the sentinels did not discover the replica (and each other)");
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The sentinel lists the replica (redis-cli prints field names and values on alternate lines) as healthy. */
    private boolean sentinelSeesReplica(RedisProcess sentinel) {
        List<String> lines = sentinel.cli("SENTINEL", "REPLICAS", MASTER_NAME).lines().map(String::trim).toList();
        int name = lines.indexOf("127.0.0.1:" + replica.port());
        int flags = lines.indexOf("flags");
        return name >= 0 && flags >= 0 && flags + 1 < lines.size() && lines.get(flags + 1).equals("slave");
    }

    private RedisProcess dataNode(String name, String... extra) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePort.onLoopback();
            Path d = Files.createDirectories(dir.resolve(name));
            List<String> cmd = new ArrayList<>(List.of(RedisServer.BINARY.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", d.toString(),
                    // a replica's first sync otherwise waits 5 s for other replicas to join the diskless transfer
                    "--repl-diskless-sync-delay", "0"));
            cmd.addAll(List.of(extra));
            try {
                RedisProcess p = RedisProcess.start("redis-" + name, port, cmd, "Ready to accept connections");
                processes.add(p);
                return p;
            } catch (IOException e) {
                last = e; // most likely the port was taken meanwhile: try another
            }
        }
        throw last;
    }

    private RedisProcess sentinel(int index) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePort.onLoopback();
            Path d = Files.createDirectories(dir.resolve("sentinel" + index));
            Path conf = d.resolve("sentinel.conf"); // sentinel rewrites its config file, so each gets its own
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "daemonize no",
                    "dir " + d,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1",
                    ""));
            try {
                RedisProcess p = RedisProcess.start("sentinel" + index, port,
                        List.of(RedisServer.BINARY.toString(), conf.toString(), "--sentinel"), "+monitor master");
                processes.add(p);
                return p;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The sentinels as Rspamd's {@code sentinels} option takes them: {@code "127.0.0.1:P1,127.0.0.1:P2"}. */
    public String sentinelAddresses() {
        return sentinels.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(","));
    }

    public int masterPort() {
        return master.port();
    }

    public int replicaPort() {
        return replica.port();
    }

    /** The port the sentinels currently give for {@value #MASTER_NAME} (-1 if they give none). */
    public int currentMasterPort() {
        List<String> lines = sentinels.get(0).cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).lines().toList();
        try {
            return lines.size() == 2 ? Integer.parseInt(lines.get(1).trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Waits until the replica's replication offset reached the master's, i.e. it holds every write the master accepted so far; returns
     * whether it did within {@code millis}. Replication is asynchronous: only writes acknowledged this way survive
     * a crash of the master for sure.
     */
    public boolean awaitReplication(long millis) {
        // Not WAIT: it only covers the writes of the connection that sends it, and redis-cli's own has made none.
        long target = replicationOffset(master.cli("INFO", "replication"), "master_repl_offset:");
        return RedisProcess.await(millis,
                () -> replicationOffset(replica.cli("INFO", "replication"), "slave_repl_offset:") >= target);
    }

    private static long replicationOffset(String info, String field) {
        for (String line : info.split("\\R")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim());
            }
        }
        return -1;
    }

    /** Kills the master with SIGKILL, as a crash. */
    public void killMaster() {
        master.kill();
    }

    /** Waits until the sentinels promoted the replica and it runs as master; returns whether it did in time. */
    public boolean awaitFailover(long millis) {
        return RedisProcess.await(millis, () -> currentMasterPort() == replica.port()
                && replica.cli("INFO", "replication").contains("role:master"));
    }

    /** Runs redis-cli against the current (possibly promoted) master, for assertions on the server's own state. */
    public String cliOnPort(int port, String... args) {
        RedisProcess p = processes.stream().filter(x -> x.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process of this setup on port " + port));
        return p.cli(args);
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        RedisProcess.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "sentinel setup " + processes;
    }
}
