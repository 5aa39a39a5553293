package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.TestScanner;
import org.mailsift.milter.codec.MilterCommandDecoder;
import org.mailsift.milter.codec.MilterFrameDecoder;
import org.mailsift.milter.codec.MilterProtocol;
import org.mailsift.milter.codec.MilterReplyEncoder;

/**
 * Seeded random mutations of MTA transcripts through the whole connection pipeline, for a fixed time budget
 * ({@code -Dmailsift.fuzz.seconds}, default 3): no exception may escape the pipeline, every buffer is released, and
 * no allocation exceeds one maximum packet plus the chunk being fed (the length check comes before buffering).
 * The seed of each case is printed on failure so it can be replayed.
 */
class MilterFuzzTest {
    private static final int CHUNK_MAX = 4096;
    private static final int ALLOCATION_LIMIT = MilterServer.MAX_PACKET + CHUNK_MAX + 1024;
    private final ScanRunner scans = new ScanRunner(new TestScanner("Gtube pattern"), 2);

    @AfterEach
    void stop() {
        scans.close();
    }

    private static List<byte[]> transcripts() {
        String[][] headers = {{"From", "a@b.test"}, {"Subject", "fuzz"}, {"X-Spam", "Yes"}};
        return List.of(
                MilterFrames.frames().postfixOptneg().macro('C', "j", "mx", "{daemon_name}", "smtpd")
                        .connect("client.test", '4', 25, "192.0.2.1").macro('H', "{tls_version}", "TLSv1.3").helo("client.test")
                        .postfixMessage("Q1", "a@b.test", "c@d.test", headers, "body\r\n" + TestScanner.GTUBE)
                        .postfixMessage("Q2", "a@b.test", "c@d.test", headers, "second " + TestScanner.ADD_HEADER_MARKER)
                        .abort().quit().bytes(),
                MilterFrames.frames().optneg(6, 0x3f, 0).connect("h", '6', 1, "IPv6:2001:db8::1").helo("h")
                        .mail("<x@y>").rcpt("<z@w>", "NOTIFY=NEVER").data().header("Subject", "s\n\tfolded").eoh()
                        .body("a".repeat(3000)).body("b").eob().quitNc().connect("u", 'U', 0, null).quit().bytes(),
                MilterFrames.frames().postfixOptneg().connect("l", 'L', 0, "/sock").packet((byte) 'U', "NOOP\0".getBytes())
                        .postfixMessage("Q3", "", "c@d.test", headers, "").bytes());
    }

    @Test
    void mutatedTranscriptsNeverEscapeThePipelineNorLeak() throws Exception {
        long budgetNanos = (long) (Double.parseDouble(System.getProperty("mailsift.fuzz.seconds", "3")) * 1e9);
        List<byte[]> seeds = transcripts();
        long end = System.nanoTime() + budgetNanos;
        long master = Long.getLong("mailsift.fuzz.seed", 20261121L);
        Random seedSource = new Random(master);
        int cases = 0;
        while (System.nanoTime() < end) {
            long seed = seedSource.nextLong();
            try {
                runCase(seed, seeds);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fuzz case failed; replay with -Dmailsift.fuzz.seed=" + master + " (case seed " + seed + ")", e);
            }
            cases++;
        }
        System.out.println("milter fuzz: " + cases + " cases");
        assertThat(cases).isGreaterThan(10);
    }

    private void runCase(long seed, List<byte[]> seeds) throws Exception {
        Random rnd = new Random(seed);
        byte[] input = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), seeds);
        EmbeddedChannel ch = new EmbeddedChannel(new MilterFrameDecoder(MilterServer.MAX_PACKET), new MilterCommandDecoder(),
                new MilterReplyEncoder(), new MilterConnectionHandler(MilterSettings.defaults(), scans, new MilterMetrics(new Metrics()),
                        MilterProtocol.PROTO_ALL_NO_REPLY, () -> { }));
        ch.config().setAllocator(new BoundedAllocator());
        List<ByteBuf> fed = new ArrayList<>();
        int at = 0;
        while (at < input.length && ch.isOpen()) {
            int n = Math.min(input.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : CHUNK_MAX));
            ByteBuf chunk = Unpooled.wrappedBuffer(input, at, n);
            fed.add(chunk);
            ch.writeInbound(chunk.retain()); // throws if an exception reached the end of the pipeline
            at += n;
        }
        ch.runPendingTasks();
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertThat(b.refCnt()).as("input released").isEqualTo(1);
            b.release();
        }
    }

    private static byte[] mutate(Random rnd, byte[] base, List<byte[]> seeds) {
        byte[] b = base.clone();
        int rounds = 1 + rnd.nextInt(6);
        for (int r = 0; r < rounds; r++) {
            switch (rnd.nextInt(7)) {
                case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8)); // bit flip
                case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256); // random byte
                case 2 -> { // truncate
                    b = java.util.Arrays.copyOf(b, 1 + rnd.nextInt(b.length));
                }
                case 3 -> { // delete a run
                    int from = rnd.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + rnd.nextInt(16));
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, from);
                    System.arraycopy(b, from + len, n, from, b.length - from - len);
                    b = n.length == 0 ? new byte[] {0} : n;
                }
                case 4 -> { // splice a piece of another transcript in
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int from = rnd.nextInt(other.length);
                    int len = Math.min(other.length - from, 1 + rnd.nextInt(64));
                    int into = rnd.nextInt(b.length);
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, into);
                    System.arraycopy(other, from, n, into, len);
                    System.arraycopy(b, into, n, into + len, b.length - into);
                    b = n;
                }
                case 5 -> { // a huge or zero length field somewhere
                    int i = rnd.nextInt(Math.max(1, b.length - 4));
                    int v = rnd.nextBoolean() ? rnd.nextInt() : rnd.nextInt(3);
                    for (int k = 0; k < 4 && i + k < b.length; k++) {
                        b[i + k] = (byte) (v >>> (24 - 8 * k));
                    }
                }
                default -> { // duplicate a run (repeated commands)
                    int from = rnd.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + rnd.nextInt(40));
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, from + len);
                    System.arraycopy(b, from, n, from + len, b.length - from);
                    b = n;
                }
            }
        }
        return b;
    }

    /** Refuses any single allocation larger than one packet plus a read chunk. */
    private static final class BoundedAllocator extends AbstractByteBufAllocator {
        private final UnpooledByteBufAllocator inner = UnpooledByteBufAllocator.DEFAULT;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            check(initialCapacity);
            return inner.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            check(initialCapacity);
            return inner.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return inner.compositeHeapBuffer(maxNumComponents);
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
            return inner.compositeDirectBuffer(maxNumComponents);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private static void check(int capacity) {
            if (capacity > ALLOCATION_LIMIT) {
                throw new AssertionError("allocation of " + capacity + " bytes exceeds " + ALLOCATION_LIMIT);
            }
        }
    }

}
