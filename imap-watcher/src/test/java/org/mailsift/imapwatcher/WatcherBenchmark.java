package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.account;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/**
 * Benchmarks against a private Dovecot (run by scripts/bench-watcher.sh; skipped in normal test runs):
 * <ul>
 *   <li>latency: MOVE INBOX -&gt; Junk issued by a client, until the learn reached the Learner (median, p99);</li>
 *   <li>throughput: a client moves messages back to back; moves/s until all are learned;</li>
 *   <li>memory: heap and threads per idle watched account, for N accounts.</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "mailsift.bench", matches = "true")
class WatcherBenchmark {
    @TempDir
    Path tmp;

    private static int intProp(String name, int dflt) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(dflt)));
    }

    @Test
    @EnabledIfSystemProperty(named = "bench.latency", matches = "true")
    void latencyAndThroughputOfMoves() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        int moves = intProp("bench.moves", 200);
        try (DovecotServer server = DovecotServer.builder().user("alice", "pw").start();
             WatcherFixture fixture = new WatcherFixture(tmp, config(account("alice", server.imapPort(), "alice", "pw")))) {
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            try (RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 2 * moves; i++) {
                    String id = newMessageId();
                    c.append("INBOX", message(id, "bench " + i));
                    ids.add(id);
                }
                c.select("INBOX");
                // latency: one move at a time, wait for its learn
                long[] ms = new long[moves];
                long[] moveMs = new long[moves];
                for (int i = 0; i < moves; i++) {
                    String id = ids.get(i);
                    long uid = c.uidOf(id);
                    long t0 = System.nanoTime();
                    c.ok("UID MOVE " + uid + " Junk");
                    moveMs[i] = (System.nanoTime() - t0) / 1_000_000;
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> !fixture.learner.of(id).isEmpty());
                    ms[i] = (fixture.learner.of(id).get(0).atNanos() - t0) / 1_000_000;
                }
                Arrays.sort(ms);
                Arrays.sort(moveMs);
                System.out.printf(Locale.ROOT, "BENCH the user's MOVE command itself (watcher does not block it): median %d ms, p99 %d ms%n",
                        moveMs[moves / 2], moveMs[Math.min(moves - 1, (int) Math.ceil(moves * 0.99) - 1)]);
                System.out.printf(Locale.ROOT, "BENCH latency MOVE->learn over %d moves: median %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                        moves, ms[moves / 2], ms[(int) (moves * 0.9)], ms[Math.min(moves - 1, (int) Math.ceil(moves * 0.99) - 1)], ms[moves - 1]);

                // throughput: back-to-back moves by one client, until all learned
                int before = fixture.learner.all().size();
                long t0 = System.nanoTime();
                for (int i = moves; i < 2 * moves; i++) {
                    c.ok("UID MOVE " + c.uidOf(ids.get(i)) + " Junk");
                }
                long movedNanos = System.nanoTime() - t0;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> fixture.learner.all().size() >= before + moves);
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "BENCH throughput: %d moves issued in %.2f s, all learned after %.2f s = %.1f moves/s learned%n",
                        moves, movedNanos / 1e9, secs, moves / secs);
                assertThat(fixture.learner.all()).hasSize(before + moves);
            }
        }
    }

    @Test
    void memoryPerIdleAccount() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available());
        int n = intProp("bench.accounts", 200);
        DovecotServer.Builder b = DovecotServer.builder().imapProcesses(n + 50, 1).loginProcesses(4)
                // past fs.inotify.max_user_instances (128 here) Dovecot falls back to checking every mailbox_idle_check_interval
                .extraConfig("mailbox_idle_check_interval = 1 secs");
        StringBuilder conf = new StringBuilder("idle_refresh = 10min;\nbackoff_initial = 1s;\nbackoff_max = 10s;\n");
        for (int i = 0; i < n; i++) {
            b.user("u" + i, "pw" + i);
        }
        try (DovecotServer server = b.start()) {
            for (int i = 0; i < n; i++) {
                conf.append(account("u" + i, server.imapPort(), "u" + i, "pw" + i));
            }
            try (WatcherFixture fixture = new WatcherFixture(tmp, config(conf.toString()))) {
                long heap0 = usedHeapAfterGc();
                int threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
                long rss0 = rssKb();
                long t0 = System.nanoTime();
                fixture.start();
                try {
                    await().atMost(Duration.ofSeconds(Math.max(60, n / 5))).pollInterval(Duration.ofMillis(100)).until(() ->
                            fixture.watcher.status().size() == n && fixture.watcher.status().stream().allMatch(a -> a.state() == Connection.IDLE));
                } finally {
                    server.log().lines().filter(l -> l.contains("Error") || l.contains("Warning") || l.contains("Fatal"))
                            .limit(20).forEach(l -> System.out.println("DOVECOT " + l));
                }
                double startSecs = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < 4; i++) {
                    System.out.println("DIAG established " + established(server.imapPort()) + " idle "
                            + fixture.watcher.status().stream().filter(a -> a.state() == Connection.IDLE).count());
                    Thread.sleep(500);
                }
                long heap1 = usedHeapAfterGc();
                int threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
                long rss1 = rssKb();
                long conns = established(server.imapPort());
                System.out.printf(Locale.ROOT, "BENCH %d idle accounts: all IDLE after %.1f s; heap +%.1f MB (%.1f KB/account); "
                                + "platform threads %d -> %d; JVM RSS +%.1f MB (%.1f KB/account); established server-side IMAP connections %d%n",
                        n, startSecs, (heap1 - heap0) / 1e6, (heap1 - heap0) / 1024.0 / n, threads0, threads1,
                        (rss1 - rss0) / 1024.0, (rss1 - rss0) / (double) n, conns);
                // one move among them is still learned promptly
                try (RawImapClient c = RawImapClient.login(server, "u" + (n - 1), "pw" + (n - 1))) {
                    String id = newMessageId();
                    c.append("INBOX", message(id, "needle"));
                    c.select("INBOX");
                    long m0 = System.nanoTime();
                    c.move(id, "Junk");
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> !fixture.learner.of(id).isEmpty());
                    System.out.printf(Locale.ROOT, "BENCH with %d idle accounts, a move in the last one learned after %d ms%n", n,
                            (fixture.learner.of(id).get(0).atNanos() - m0) / 1_000_000);
                }
            }
        }
    }

    /**
     * The Rspamd way, for comparison: Dovecot IMAPSieve runs a Sieve script on every COPY/MOVE/APPEND into Junk that
     * pipes the message to {@code rspamc learn_spam} (synchronously: the user's MOVE waits for it). Needs a running
     * rspamd controller: {@code -Dbench.rspamc=127.0.0.1:21334 -Dbench.rspamc.password=...}. Uses real spam from
     * the corpus so that rspamd really learns.
     */
    @Test
    @EnabledIfSystemProperty(named = "bench.rspamc", matches = ".+")
    void imapSieveWithRspamcForComparison() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available() && Files.isExecutable(Path.of("/usr/bin/rspamc")));
        Path corpus = Path.of(System.getProperty("mailsift.corpus", "/nonexistent"), "spam");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "corpus needed");
        int moves = intProp("bench.moves", 200);
        Path dir = Files.createDirectories(tmp.resolve("sieve"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path times = dir.resolve("times");
        Path log = dir.resolve("rspamc.log");
        Files.writeString(times, "");
        Files.writeString(log, "");
        Path script = Files.writeString(dir.resolve("report-spam.sieve"),
                "require [\"vnd.dovecot.pipe\", \"copy\", \"imapsieve\"];\npipe :copy \"learn-spam.sh\";\n");
        Files.writeString(bin.resolve("learn-spam.sh"), "#!/bin/sh\n/usr/bin/rspamc -h " + System.getProperty("bench.rspamc")
                + " -P '" + System.getProperty("bench.rspamc.password", "") + "' learn_spam >> " + log + " 2>&1\n"
                + "date +%s%N >> " + times + "\n");
        // the permission dance IMAPSieve needs: programs executable by mail but not world-writable, logs writable by mail
        for (Path p : List.of(tmp, dir, bin, bin.resolve("learn-spam.sh"))) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : List.of(times, log)) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        List<Path> files;
        try (var list = Files.list(corpus)) {
            files = list.sorted().limit(moves).toList();
        }
        try (DovecotServer server = DovecotServer.builder().user("alice", "pw")
                .imapSieveRule("Junk", null, "COPY APPEND", script).sievePipeBinDir(bin).start();
             RawImapClient c = RawImapClient.login(server, "alice", "pw")) {
            List<Long> uids = new ArrayList<>();
            for (Path f : files) {
                String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (text.startsWith("From ")) {
                    text = text.substring(text.indexOf('\n') + 1);
                }
                uids.add(c.append("INBOX", text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
            c.select("INBOX");
            long[] moveMs = new long[uids.size()];
            long[] learnMs = new long[uids.size()];
            for (int i = 0; i < uids.size(); i++) {
                int before = Files.readAllLines(times).size();
                long t0 = System.nanoTime();
                long wall0 = System.currentTimeMillis();
                c.ok("UID MOVE " + uids.get(i) + " Junk");
                moveMs[i] = (System.nanoTime() - t0) / 1_000_000;
                try {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> Files.readAllLines(times).size() > before);
                } catch (RuntimeException e) {
                    server.log().lines().filter(l -> !l.contains("Login:") && !l.contains("Disconnected")).limit(20)
                            .forEach(l -> System.out.println("DOVECOT " + l));
                    throw e;
                }
                long doneNanosEpoch = Long.parseLong(Files.readAllLines(times).get(before).trim());
                learnMs[i] = doneNanosEpoch / 1_000_000 - wall0;
            }
            Arrays.sort(moveMs);
            Arrays.sort(learnMs);
            int n = uids.size();
            System.out.printf(Locale.ROOT, "BENCH IMAPSieve+rspamc over %d moves: MOVE command blocked median %d ms, p99 %d ms; "
                            + "MOVE->learned median %d ms, p99 %d ms (learned: %d of %d)%n",
                    n, moveMs[n / 2], moveMs[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)], learnMs[n / 2],
                    learnMs[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)],
                    Files.readAllLines(log).stream().filter(l -> l.contains("success = true")).count(), n);
        }
    }

    /** Server-side established connections on the IMAP port. */
    private static long established(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( sport = :" + port + " )").start();
        return new String(ss.getInputStream().readAllBytes()).lines().count();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
