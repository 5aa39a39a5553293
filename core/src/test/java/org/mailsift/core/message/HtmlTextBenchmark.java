package org.mailsift.core.message;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The hand-written {@link HtmlText} against jsoup (HTML5 parse, then the same walk: text nodes, line breaks at block
 * elements, a/area hrefs) on every HTML part of a corpus: CPU time per part on this thread, the two interleaved in
 * each round so they share the machine's load. Not a unit test: it prints figures, asserts nothing.
 * Run: {@code java -cp core/target/classes:core/target/test-classes:JARS org.mailsift.core.message.HtmlTextBenchmark
 * /work/shared/corpus/sa [rounds]}.
 */
public final class HtmlTextBenchmark {
    private HtmlTextBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> html = new ArrayList<>();
        int messages = 0;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".tsv")).toList()) {
                messages++;
                for (ParsedMessage.TextPart t : MessageParser.parse(Files.readAllBytes(p)).textParts()) {
                    if (t.html() != null) {
                        html.add(t.html());
                    }
                }
            }
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.printf("%d messages, %d HTML parts, %.1f MB of HTML%n", messages, html.size(),
                html.stream().mapToLong(String::length).sum() / 1e6);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < rounds; round++) { // the first rounds warm up the JIT
            long t0 = cpu.getCurrentThreadCpuTime();
            for (String h : html) {
                sink += HtmlText.toText(h, new ArrayList<>(), 1000).length();
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (String h : html) {
                sink += jsoup(h, new ArrayList<>()).length();
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            System.out.printf("round %d: hand-written %.1f us/part, jsoup %.1f us/part (per corpus message %.1f vs %.1f us)%n",
                    round, (t1 - t0) / 1e3 / html.size(), (t2 - t1) / 1e3 / html.size(), (t1 - t0) / 1e3 / messages,
                    (t2 - t1) / 1e3 / messages);
        }
        System.out.println("(checksum " + sink + ")");
    }

    static String jsoup(String html, List<String> hrefs) {
        StringBuilder out = new StringBuilder(html.length() / 2);
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.getWholeText());
                } else if (node instanceof Element el) {
                    if (el.tag().isBlock() || el.nameIs("br")) {
                        out.append('\n');
                    }
                    if ((el.nameIs("a") || el.nameIs("area")) && el.hasAttr("href")) {
                        hrefs.add(el.attr("href").strip());
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element el && el.tag().isBlock()) {
                    out.append('\n');
                }
            }
        }, Parser.htmlParser().parseInput(html, ""));
        return out.toString();
    }
}
