package org.mailsift.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineFactory;

/**
 * {@code mailsift bench}: scan throughput over message folders. Loads every file into memory, warms the engine up,
 * then measures one thread and N threads (default: all cores) for a fixed time each. Bayes is left out (its store
 * would dominate and is benchmarked separately); the configuration's rules, weights and headers are used, and the
 * DNS checks with the configured resolver after one pass that warms its cache ({@code --no-dns} leaves them out).
 */
public final class BenchCommand implements CliCommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure scan throughput (messages/s) over message folders, single-thread and all cores";
    }

    @Override
    public String argumentsSyntax() {
        return "DIR...";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N").desc("threads for the parallel run (default: cores)").get());
        o.addOption(Option.builder().longOpt("auth")
                .desc("also measure with SPF, DKIM, DMARC and ARC on, every DNS answer already cached, and print the ratio").get());
        o.addOption(Option.builder().longOpt("auth-dns")
                .desc("with --auth: ask the configured resolver (options.inc dns), warmed by two passes, instead of "
                        + "answering in-process; prints the queries sent while measuring (scripts/bench-auth.sh)").get());
        o.addOption(Option.builder().longOpt("rounds").hasArg().argName("N")
                .desc("with --auth: rounds of each side, alternating (default 4)").get());
        o.addOption(Option.builder().longOpt("seconds").hasArg().argName("S").desc("measuring time per run (default 10)").get());
        o.addOption(Option.builder().longOpt("no-dns").desc("leave the DNS checks (DNS lists, hostname checks) out").get());
        o.addOption(Option.builder().longOpt("compare").hasArg().argName("CONFDIR")
                .desc("also measure the configuration in CONFDIR (e.g. with custom rules), alternating with this one in "
                        + "the same JVM, and print the ratio (scripts/bench-policy.sh)").get());
        o.addOption(Option.builder().longOpt("ip").hasArg().argName("ADDR").desc("client address the messages come from (default: none)").get());
        o.addOption(Option.builder().longOpt("helo").hasArg().argName("NAME").desc("HELO name the messages come with").get());
        o.addOption(Option.builder().longOpt("from").hasArg().argName("ADDR").desc("MAIL FROM of the messages").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        if (line.getArgList().isEmpty()) {
            io.err().println("mailsift bench: give one or more folders of messages");
            return 2;
        }
        int threads = Integer.parseInt(line.getOptionValue("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        double seconds = Double.parseDouble(line.getOptionValue("seconds", "10"));
        List<byte[]> messages = load(line.getArgList());
        if (messages.isEmpty()) {
            io.err().println("mailsift bench: no messages found");
            return 1;
        }
        long bytes = messages.stream().mapToLong(m -> m.length).sum();
        io.out().printf(Locale.ROOT, "loaded %d messages (%.1f MB)%n", messages.size(), bytes / 1e6);
        Envelope envelope = line.hasOption("ip") || line.hasOption("helo") || line.hasOption("from")
                ? Envelope.builder().clientIp(line.getOptionValue("ip")).helo(line.getOptionValue("helo"))
                        .mailFrom(line.getOptionValue("from")).addRcpt("bench@localhost").build()
                : Envelope.EMPTY;
        ConfigDirectory config = ContextLoader.config(line);
        DnsSettings dnsSettings = DnsSettings.from(config);
        if (line.hasOption("auth")) {
            boolean given = line.hasOption("ip") || line.hasOption("helo") || line.hasOption("from");
            authComparison(io, config, dnsSettings, line.hasOption("auth-dns"), messages, threads, seconds,
                    Integer.parseInt(line.getOptionValue("rounds", "4")), given ? envelope : REMOTE);
            return 0;
        }
        try (DnsResolver resolver = line.hasOption("no-dns") || !dnsSettings.enabled() ? DnsResolver.none()
                : new NettyDnsResolver(dnsSettings, null)) {
            MessageScanner engine = EngineFactory.create(config, List.of(), resolver);
            if (resolver.isEnabled()) {
                // every message once, so the DNS answers are cached as on a busy server
                io.out().printf(Locale.ROOT, "DNS checks on (resolver %s): warming the cache%n", resolver.describe());
                long t0 = System.nanoTime();
                scanAll(engine, messages, threads, envelope);
                long missed = cacheMisses(resolver);
                scanAll(engine, messages, threads, envelope); // what the first pass could not get (a busy server)
                io.out().printf(Locale.ROOT, "cache warm after %.1f s (second pass: %d lookups not answered from the cache)%n",
                        (System.nanoTime() - t0) / 1e9, cacheMisses(resolver) - missed);
            } else {
                io.out().println("DNS checks off");
            }
            measure(engine, messages, 1, Math.max(2, seconds / 2), envelope); // warm-up
            double single = measure(engine, messages, 1, seconds, envelope);
            io.out().printf(Locale.ROOT, "1 thread:  %.0f messages/s%n", single);
            double multi = measure(engine, messages, threads, seconds, envelope);
            io.out().printf(Locale.ROOT, "%d threads: %.0f messages/s%n", threads, multi);
            if (line.hasOption("compare")) {
                compare(io, engine, ConfigDirectory.open(Path.of(line.getOptionValue("compare"))), resolver, messages,
                        threads, seconds, envelope);
            } else if (resolver.isEnabled()) {
                // (not after --compare, which is the measurement asked for) the same JVM without the DNS checks, alternating, so a busy machine weighs on both sides alike
                MessageScanner off = EngineFactory.create(config, List.of());
                Alternation a = alternate(off, engine, messages, 1, seconds / 2, 4, envelope);
                io.out().printf(Locale.ROOT, "alternating 1 thread: without DNS checks %.0f messages/s, with %.0f: cost %.1f%% "
                        + "(worst round %.1f%%; in CPU time %.1f%%)%n", a.off(), a.on(), a.meanCost(), a.worstCost(), a.cpuCost());
            }
        }
        return 0;
    }

    /**
     * {@code --compare}: this configuration and {@code other} measured in turns (four rounds each, the order flipping
     * every round, 1 thread then all threads), so a busy machine weighs on both alike; prints both throughputs, the
     * process CPU time per message of each, and other's cost over this one in wall time and in CPU time, mean of the
     * rounds and worst round. With a resolver, other's lookups are cached first (as this configuration's are) and
     * the DNS queries sent while measuring are counted: with a warm cache they should be none, so what is measured
     * is the checks' own computing.
     */
    private static void compare(Io io, MessageScanner engine, ConfigDirectory other, DnsResolver resolver,
                                List<byte[]> messages, int threads, double seconds, Envelope envelope) throws Exception {
        MessageScanner compared = EngineFactory.create(other, List.of(), resolver);
        try {
            for (String w : other.warnings()) {
                io.err().println("warning: " + w);
            }
            if (resolver.isEnabled()) {
                scanAll(compared, messages, threads, envelope);
                scanAll(compared, messages, threads, envelope);
            }
            measure(compared, messages, 1, Math.max(2, seconds / 2), envelope); // warm-up
            long queriesBefore = queriesSent(resolver);
            long missesBefore = cacheMisses(resolver);
            for (int n : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                Alternation a = alternate(engine, compared, messages, n, seconds / 2, 4, envelope);
                io.out().printf(Locale.ROOT, "alternating %d thread%s: this configuration %.0f messages/s (%.0f us CPU/message), "
                        + "%s %.0f messages/s (%.0f us CPU/message): cost %.1f%% (mean of 4 rounds; worst round %.1f%%), "
                        + "in CPU time %.1f%% (worst round %.1f%%); keeps %.1f%% of the throughput%n", n, n == 1 ? "" : "s",
                        a.off(), a.cpuMicrosOff(), other.directory(), a.on(), a.cpuMicrosOn(), a.meanCost(), a.worstCost(),
                        a.cpuCost(), a.worstCpuCost(), 100 - a.meanCost());
            }
            if (resolver.isEnabled()) {
                io.out().printf(Locale.ROOT, "DNS while alternating: %d lookups not answered from the cache, %d queries sent%n",
                        cacheMisses(resolver) - missesBefore, queriesSent(resolver) - queriesBefore);
            }
        } finally {
            if (compared instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    /** Queries the resolver sent to its nameservers so far (answers from its cache are not queries); -1 if unknown. */
    private static long queriesSent(DnsResolver resolver) {
        return resolver instanceof NettyDnsResolver n ? n.queriesSent() : -1;
    }

    /** Lookups the resolver could not answer from its cache so far (sent, or failed at once); -1 if unknown. */
    private static long cacheMisses(DnsResolver resolver) {
        return resolver instanceof NettyDnsResolver n ? n.cacheMisses() : -1;
    }

    private static void scanAll(MessageScanner engine, List<byte[]> messages, int threads, Envelope envelope) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(threads, 8))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < Math.max(threads, 8); t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < messages.size(); i = next.getAndIncrement()) {
                        engine.scan(messages.get(i), envelope);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    private static final Envelope REMOTE = Envelope.builder().clientIp("192.0.2.1").helo("relay.bench.example").mailFrom("")
            .addRcpt("user@bench.example").build();

    /**
     * {@code --auth}: the same scans (from a remote client: the envelope given, else {@link #REMOTE}) without a
     * resolver, then with one whose every answer is cached: the cost of the network checks themselves
     * (authentication, and the DNS lists and hostname checks when the configuration leaves them on). The resolver is
     * the configured one after two passes that warm its cache ({@code --auth-dns}; the queries it sends while
     * measuring are counted, so "cached" is checked), else {@link CachedAnswers}. The two engines alternate in short
     * rounds so that a busy machine weighs on both alike; the cost is given per round pair (mean and worst), in
     * process CPU time and in the scanning threads' own CPU time per message.
     */
    private static void authComparison(Io io, ConfigDirectory config, DnsSettings dnsSettings, boolean configuredDns,
                                       List<byte[]> messages, int threads, double seconds, int rounds, Envelope envelope)
            throws Exception {
        try (DnsResolver resolver = configuredDns ? new NettyDnsResolver(dnsSettings, null) : new CachedAnswers()) {
            MessageScanner without = EngineFactory.create(config, List.of(), DnsResolver.none());
            MessageScanner withAuth = EngineFactory.create(config, List.of(), resolver);
            if (configuredDns) {
                io.out().printf(Locale.ROOT, "resolver %s: warming the cache%n", resolver.describe());
                scanAll(withAuth, messages, threads, envelope);
                scanAll(withAuth, messages, threads, envelope);
                io.out().printf(Locale.ROOT, "warm-up sent %d queries%n", queriesSent(resolver));
            } else {
                io.out().println("every lookup answered in-process (CachedAnswers)");
            }
            io.out().println("authentication results over the messages: " + authMix(withAuth, messages, envelope));
            measure(without, messages, 1, Math.max(2, seconds / 2), envelope);
            measure(withAuth, messages, 1, Math.max(2, seconds / 2), envelope);
            long queriesBefore = queriesSent(resolver);
            long missesBefore = cacheMisses(resolver);
            for (int t : threads == 1 ? List.of(1) : List.of(1, threads)) {
                Alternation a = alternate(without, withAuth, messages, t, seconds / 2, rounds, envelope);
                io.out().printf(Locale.ROOT, "%d thread%s, %d rounds: no DNS checks %.0f messages/s, cached DNS checks %.0f "
                        + "messages/s: cost %.1f%% (worst round %.1f%%); process CPU %.1f -> %.1f us/message, cost %.1f%% "
                        + "(worst round %.1f%%); scanning threads' CPU %.1f -> %.1f us/message, cost %.1f%%%n",
                        t, t == 1 ? "" : "s", rounds, a.off(), a.on(), a.meanCost(), a.worstCost(), a.cpuMicrosOff(),
                        a.cpuMicrosOn(), a.cpuCost(), a.worstCpuCost(), a.threadMicrosOff(), a.threadMicrosOn(),
                        a.threadCpuCost());
            }
            if (configuredDns) {
                io.out().printf(Locale.ROOT, "queries sent while measuring: %d (lookups not answered from the cache: %d)%n",
                        queriesSent(resolver) - queriesBefore, cacheMisses(resolver) - missesBefore);
            }
        }
    }

    /** How often each SPF, DKIM, DMARC and ARC symbol fires over the messages: the mix that is measured. */
    private static java.util.Map<String, Integer> authMix(MessageScanner engine, List<byte[]> messages, Envelope envelope) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (byte[] m : messages) {
            for (var symbol : engine.scan(m, envelope).symbols()) {
                if (symbol.name().matches("R_SPF_.*|R_DKIM_.*|DMARC_.*|ARC_.*")) {
                    counts.merge(symbol.name(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Mean rates of both engines over the rounds, and the cost of the second: mean of the rounds' costs, and the worst;
     * {@code cpuCost} compares process CPU time per message instead of wall time (on a machine shared with other
     * work the wall clock swings with the neighbours, the CPU a scan takes much less): every thread's, so the
     * resolver's event loop, GC and JIT count too; mean of the rounds and worst round as well.
     */
    record Alternation(double off, double on, double meanCost, double worstCost, double cpuCost, double worstCpuCost,
                       double cpuMicrosOff, double cpuMicrosOn, double threadMicrosOff, double threadMicrosOn) {
        /** The cost in the scanning threads' own CPU time per message (no JIT, GC or resolver thread). */
        double threadCpuCost() {
            return 100 * (1 - threadMicrosOff / threadMicrosOn);
        }
    }

    static Alternation alternate(MessageScanner off, MessageScanner on, List<byte[]> messages, int threads,
                                 double secondsPerRun, int rounds, Envelope envelope) throws Exception {
        double sumOff = 0;
        double sumOn = 0;
        double sumCost = 0;
        double worst = Double.NEGATIVE_INFINITY;
        double sumCpuCost = 0;
        double worstCpu = Double.NEGATIVE_INFINITY;
        double cpuOff = 0;
        double cpuOn = 0;
        double threadOff = 0;
        double threadOn = 0;
        // Both sides scan the same messages in a round (a slice the first side takes about secondsPerRun over, the
        // next slice next round): timed rounds let the slower side cover only the first part of the corpus, whose
        // messages cost other than the rest's, and compared different work.
        int slice = (int) Math.max(threads * 20L, rate(off, messages, threads, Math.min(1, secondsPerRun / 2), envelope,
                "bench-base").perSecond() * secondsPerRun);
        for (int round = 0; round < rounds; round++) {
            // the order flips every round, so neither side always runs right after the other's garbage
            long from = (long) round * slice;
            Rate a;
            Rate b;
            if (round % 2 == 0) {
                a = rate(off, messages, threads, Double.NaN, from, slice, envelope, "bench-base");
                b = rate(on, messages, threads, Double.NaN, from, slice, envelope, "bench-compared");
            } else {
                b = rate(on, messages, threads, Double.NaN, from, slice, envelope, "bench-compared");
                a = rate(off, messages, threads, Double.NaN, from, slice, envelope, "bench-base");
            }
            sumOff += a.perSecond();
            sumOn += b.perSecond();
            cpuOff += a.perCpuSecond();
            cpuOn += b.perCpuSecond();
            threadOff += a.threadMicrosPerMessage();
            threadOn += b.threadMicrosPerMessage();
            double cpuCost = 100 * (1 - b.perCpuSecond() / a.perCpuSecond());
            sumCpuCost += cpuCost;
            worstCpu = Math.max(worstCpu, cpuCost);
            double cost = 100 * (1 - b.perSecond() / a.perSecond());
            sumCost += cost;
            worst = Math.max(worst, cost);
        }
        return new Alternation(sumOff / rounds, sumOn / rounds, sumCost / rounds, worst, sumCpuCost / rounds, worstCpu,
                1e6 * rounds / cpuOff, 1e6 * rounds / cpuOn, threadOff / rounds, threadOn / rounds);
    }

    /**
     * A resolver whose every answer is already there, as the daemon's TTL cache holds them for busy senders: SPF
     * records permitting the bench's client, p=none DMARC records, no DKIM keys (so signatures end at the key).
     */
    static final class CachedAnswers implements org.mailsift.core.dns.DnsResolver {
        @Override
        public java.util.concurrent.CompletableFuture<org.mailsift.core.dns.DnsAnswer> query(String name,
                org.mailsift.core.dns.DnsRecordType type, java.time.Instant deadline) {
            String n = org.mailsift.core.dns.DnsResolver.normalize(name);
            List<String> records = List.of();
            if (type == org.mailsift.core.dns.DnsRecordType.TXT && n.startsWith("_dmarc.")) {
                records = List.of("v=DMARC1; p=none; rua=mailto:dmarc@" + n.substring(7));
            } else if (type == org.mailsift.core.dns.DnsRecordType.TXT && !n.contains("._domainkey.")) {
                records = List.of("v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.0/24 -all");
            }
            return java.util.concurrent.CompletableFuture.completedFuture(new org.mailsift.core.dns.DnsAnswer(n, type,
                    records.isEmpty() ? org.mailsift.core.dns.DnsStatus.NXDOMAIN : org.mailsift.core.dns.DnsStatus.OK,
                    records, 300));
        }
    }

    private static List<byte[]> load(List<String> dirs) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String d : dirs) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(Path.of(d))) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                out.add(Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** Messages per second over {@code seconds} with {@code threads} threads cycling through the corpus. */
    static double measure(MessageScanner engine, List<byte[]> messages, int threads, double seconds) throws Exception {
        return measure(engine, messages, threads, seconds, Envelope.EMPTY);
    }

    static double measure(MessageScanner engine, List<byte[]> messages, int threads, double seconds, Envelope envelope)
            throws Exception {
        return rate(engine, messages, threads, seconds, envelope, "bench").perSecond();
    }

    /**
     * Messages per second of wall time, per second of the whole process's CPU time (every thread, GC, JIT), and the
     * scanning threads' own CPU time per message (what the scans cost, without the JIT's and GC's threads).
     */
    record Rate(double perSecond, double perCpuSecond, double threadMicrosPerMessage) {
    }

    /** @param threadName the scanning threads' name (a profile tells the two sides of a comparison apart by it) */
    static Rate rate(MessageScanner engine, List<byte[]> messages, int threads, double seconds, Envelope envelope,
                     String threadName) throws Exception {
        return rate(engine, messages, threads, seconds, 0, Long.MAX_VALUE, envelope, threadName);
    }

    /**
     * Scans for {@code seconds} (NaN: no time limit), or until {@code count} messages from the {@code from}-th
     * (cycling through the corpus) are scanned, whichever comes first.
     */
    static Rate rate(MessageScanner engine, List<byte[]> messages, int threads, double seconds, long from, long count,
                     Envelope envelope, String threadName) throws Exception {
        long end = Double.isNaN(seconds) ? Long.MAX_VALUE : System.nanoTime() + (long) (seconds * 1e9);
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(from);
        long last = count == Long.MAX_VALUE ? Long.MAX_VALUE : from + count;
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        java.util.concurrent.atomic.LongAdder threadCpu = new java.util.concurrent.atomic.LongAdder();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(threadName + "-", 0).factory())) {
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    long n = 0;
                    long own = mx.getCurrentThreadCpuTime();
                    for (long i = next.getAndIncrement(); i < last && System.nanoTime() < end; i = next.getAndIncrement()) {
                        engine.scan(messages.get((int) Math.floorMod(i, (long) messages.size())), envelope);
                        n++;
                    }
                    threadCpu.add(mx.getCurrentThreadCpuTime() - own);
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            return new Rate(total / wall, cpu > 0 ? total / cpu : Double.NaN,
                    total > 0 ? threadCpu.sum() / 1e3 / total : Double.NaN);
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }
}
