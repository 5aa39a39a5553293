package org.mailsift.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.config.UclWriter;

/**
 * {@code mailsift configdump [SECTION...]}: each section as the daemon sees it (stock + local.d, or override.d),
 * printed as UCL, preceded by a comment naming the files it came from. Without arguments: every section.
 */
public final class ConfigDumpCommand implements CliCommand {
    @Override
    public String name() {
        return "configdump";
    }

    @Override
    public String summary() {
        return "print the merged configuration (stock + local.d, or override.d) as UCL";
    }

    @Override
    public String argumentsSyntax() {
        return "[SECTION...]";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, Io io) {
        ConfigDirectory config = ContextLoader.config(line);
        List<String> names = line.getArgList().isEmpty() ? new ArrayList<>(config.sectionNames()) : line.getArgList();
        for (String name : names) {
            if (config.filesOf(name).isEmpty()) {
                throw new IllegalArgumentException("no section '" + name + "' in " + config.directory()
                        + " (no " + name + ".conf or " + name + ".inc there, in local.d or override.d)");
            }
        }
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            UclObject section = config.section(name);
            out.append("# ").append(name).append(": ").append(config.filesOf(name).stream()
                    .map(p -> relative(config.directory(), p)).collect(Collectors.joining(", "))).append('\n');
            out.append(UclWriter.write(new UclObject(Map.of(name, List.<UclValue>of(section)), section.position())));
            out.append('\n');
        }
        io.out().print(out);
        io.out().flush();
        return 0;
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString();
    }
}
