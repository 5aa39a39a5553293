package org.mailsift.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.controller.protocol.ScanReplyJson;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

/**
 * {@code mailsift scan}: scans files, folders (their files in name order) or standard input and prints one result per
 * message in rspamc's layout, as /checkv2 JSON lines ({@code --json}), or the message with the headers applied
 * ({@code --mime}, for a Sieve filter). The SMTP envelope is given with rspamc's options ({@link EnvelopeOptions}), so a
 * message scanned here gets the verdict the milter gives it for the same envelope.
 */
public final class ScanCommand implements CliCommand {
    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String summary() {
        return "scan messages and print the result as rspamc does (--json: /checkv2 JSON, --mime: the message with headers)";
    }

    @Override
    public String argumentsSyntax() {
        return "FILE...|DIR|-";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("json").desc("print one /checkv2 JSON document per line per message").get());
        o.addOption(Option.builder().longOpt("mime").desc("print the message with the spam headers applied").get());
        EnvelopeOptions.addTo(o);
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        List<String> args = line.getArgList();
        if (args.isEmpty()) {
            io.err().println("mailsift scan: nothing to scan (give FILE..., DIR or - for standard input)");
            return 2;
        }
        boolean json = line.hasOption("json");
        boolean mime = line.hasOption("mime");
        Envelope envelope = EnvelopeOptions.from(line);
        int failures = 0;
        try (AgentContext context = ContextLoader.open(line)) {
            context.scansOnly(true); // while the daemon holds the embedded store: read it, do not scan without Bayes
            MessageScanner scanner = context.scanner(ScanListener.ScanSource.CLI);
            for (String arg : args) {
                for (Input input : expand(arg, io)) {
                    if (input.error() != null) {
                        io.err().println("mailsift scan: " + input.name() + ": " + input.error());
                        failures++;
                        continue;
                    }
                    byte[] raw;
                    try {
                        raw = input.path() == null ? io.in().readAllBytes() : Files.readAllBytes(input.path());
                    } catch (IOException e) {
                        io.err().println("mailsift scan: " + input.name() + ": cannot read: " + e.getMessage());
                        failures++;
                        continue;
                    }
                    ScanResult result = scanner.scan(raw, envelope);
                    if (mime) {
                        byte[] out = HeaderRewriter.apply(raw, result.headerChanges());
                        io.out().write(out, 0, out.length);
                    } else if (json) {
                        io.out().println(ScanReplyJson.checkV2(result));
                    } else {
                        printText(io.out(), input.name(), result);
                    }
                    io.out().flush();
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private record Input(String name, Path path, String error) {
    }

    private static List<Input> expand(String arg, Io io) {
        if (arg.equals("-")) {
            return List.of(new Input("stdin", null, null));
        }
        Path p = Path.of(arg);
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.list(p)) {
                List<Input> out = new ArrayList<>();
                files.filter(Files::isRegularFile).sorted(Comparator.comparing(f -> f.getFileName().toString()))
                        .forEach(f -> out.add(new Input(f.toString(), f, null)));
                return out;
            } catch (IOException e) {
                return List.of(new Input(arg, p, "cannot list the folder: " + e.getMessage()));
            }
        }
        if (!Files.exists(p)) {
            return List.of(new Input(arg, p, "no such file"));
        }
        if (!Files.isReadable(p)) {
            return List.of(new Input(arg, p, "not readable"));
        }
        return List.of(new Input(arg, p, null));
    }

    /** rspamc's plain output for one message. */
    static void printText(PrintStream out, String name, ScanResult r) {
        out.printf(Locale.ROOT, "Results for file: %s (%.3f seconds)%n", name, r.scanTimeSeconds());
        out.println("[Metric: default]");
        out.println("Action: " + r.action().wireName());
        out.println("Spam: " + (r.action().isSpam() ? "true" : "false"));
        if (r.subject() != null) {
            out.println("Subject: " + r.subject());
        }
        out.printf(Locale.ROOT, "Score: %.2f / %.2f%n", r.score(), r.requiredScore());
        List<SymbolResult> byName = new ArrayList<>(r.symbols());
        byName.sort(Comparator.comparing(SymbolResult::name));
        for (SymbolResult s : byName) {
            out.printf(Locale.ROOT, "Symbol: %s (%.2f)", s.name(), s.score());
            if (!s.options().isEmpty()) {
                out.print("[" + String.join(", ", s.options()) + "]");
            }
            out.println();
        }
        out.println("Message-ID: " + r.messageId());
        if (r.smtpMessage() != null) {
            out.println("Message - smtp_message: " + r.smtpMessage());
        }
        out.println();
    }
}
