package org.mailsift.agent.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.scanner.bayes.BayesExportFormat;
import org.mailsift.scanner.bayes.BayesModule;

/**
 * {@code mailsift bayes export|import FILE}: moves Bayes statistics between stores (embedded and Redis, or two
 * machines) in the text format documented in {@link BayesExportFormat}. Import adds to what the store holds. The
 * daemon must be stopped for the embedded store (it holds the store's lock). FILE may be {@code -}.
 */
public final class BayesCommand implements CliCommand {
    @Override
    public String name() {
        return "bayes";
    }

    @Override
    public String summary() {
        return "export or import Bayes statistics (format: " + BayesExportFormat.MAGIC + ", one record per line)";
    }

    @Override
    public String argumentsSyntax() {
        return "export|import FILE|-";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        if (line.getArgList().size() != 2) {
            io.err().println("usage: mailsift bayes export|import FILE|-");
            return 2;
        }
        String verb = line.getArgList().get(0);
        String file = line.getArgList().get(1);
        try (AgentContext context = ContextLoader.open(line);
             BayesStore store = BayesModule.openStore(BayesModule.settings(context.config()), context.dataDir())) {
            switch (verb) {
                case "export" -> {
                    if (file.equals("-")) {
                        store.exportTo(io.out());
                        io.out().flush();
                    } else {
                        try (OutputStream out = Files.newOutputStream(Path.of(file))) {
                            store.exportTo(out);
                        }
                        io.out().println("exported the " + store.kind() + " Bayes statistics to " + file);
                    }
                }
                case "import" -> {
                    if (file.equals("-")) {
                        store.importFrom(io.in());
                    } else {
                        try (InputStream in = Files.newInputStream(Path.of(file))) {
                            store.importFrom(in);
                        }
                    }
                    BayesStore.Stats s = store.stats();
                    io.out().println("imported into the " + store.kind() + " store: now spam " + s.learns().spam()
                            + ", ham " + s.learns().ham() + " learns");
                }
                default -> {
                    io.err().println("mailsift bayes: unknown action \"" + verb + "\" (export or import)");
                    return 2;
                }
            }
        }
        return 0;
    }
}
