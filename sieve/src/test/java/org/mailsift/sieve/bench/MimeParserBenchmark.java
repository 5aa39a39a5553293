package org.mailsift.sieve.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;

/**
 * Core's MessageParser against mime4j (what sieve's MailMessage.text used) on a corpus and on hostile messages:
 * time and bytes allocated per message, each parser reading every part and decoding the text it needs.
 * Run: {@code java -cp ... org.mailsift.sieve.bench.MimeParserBenchmark /work/shared/corpus/sa [seconds]}.
 * Not a unit test: it prints figures, asserts nothing.
 */
public final class MimeParserBenchmark {
    private MimeParserBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tsv")).toList()) {
                corpus.add(Files.readAllBytes(p));
            }
        }
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        System.out.printf("corpus: %d messages%n", corpus.size());
        for (int round = 0; round < 2; round++) { // round 0 warms up
            report(round == 0 ? null : "core MessageParser", corpus, seconds, MimeParserBenchmark::core);
            report(round == 0 ? null : "mime4j MimeTokenStream", corpus, seconds, MimeParserBenchmark::mime4j);
        }
        List<byte[]> hostile = hostile();
        report("core MessageParser, hostile", hostile, seconds, MimeParserBenchmark::core);
        report("mime4j MimeTokenStream, hostile", hostile, seconds, MimeParserBenchmark::mime4j);
    }

    static void core(byte[] raw) {
        ParsedMessage m = MessageParser.parse(raw);
        m.textParts().forEach(t -> t.text().length());
    }

    static void mime4j(byte[] raw) {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        try (InputStream in = new ByteArrayInputStream(raw)) {
            stream.parse(in);
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                if (s == EntityState.T_BODY && stream.getBodyDescriptor().getMimeType().startsWith("text/")) {
                    try (InputStream body = stream.getDecodedInputStream()) {
                        new String(body.readNBytes(1 << 20), StandardCharsets.UTF_8).length();
                    }
                }
            }
        } catch (Exception e) {
            // damaged MIME: what was read counts
        }
    }

    private static void report(String name, List<byte[]> messages, double seconds, Consumer<byte[]> parse) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        long allocated = threads.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (byte[] m : messages) {
                parse.accept(m);
                n++;
            }
        }
        long nanos = System.nanoTime() - start;
        allocated = threads.getThreadAllocatedBytes(tid) - allocated;
        if (name != null) {
            System.out.printf("%-34s %8.0f messages/s  %7.1f KiB allocated/message%n", name, n / (nanos / 1e9),
                    allocated / 1024.0 / n);
        }
    }

    /** The audit's shapes: deep nesting, many parts, a huge header, a missing boundary, a base64 bomb. */
    static List<byte[]> hostile() {
        List<byte[]> out = new ArrayList<>();
        StringBuilder deep = new StringBuilder("Subject: deep\r\n");
        for (int i = 0; i < 200; i++) {
            deep.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        deep.append("Content-Type: text/plain\r\n\r\nbottom\r\n");
        out.add(deep.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");
        for (int i = 0; i < 5000; i++) {
            many.append("--x\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        out.add(many.append("--x--\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.add(("Subject: " + "a".repeat(1 << 20) + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        out.add("Content-Type: multipart/mixed\r\n\r\n--\r\nno boundary at all\r\n".getBytes(StandardCharsets.US_ASCII));
        out.add(("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + "QUFB".repeat(1 << 18) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out;
    }
}
