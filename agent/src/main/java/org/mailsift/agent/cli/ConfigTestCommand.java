package org.mailsift.agent.cli;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.scanner.EngineFactory;

/**
 * {@code mailsift configtest}: parses every *.conf / *.inc of the configuration directory, local.d and override.d
 * (with their includes), merges every section, builds the scan engine from it (so that bad values fail and unknown
 * options are reported), prints the warnings, then "syntax OK". A syntax error is reported
 * by Main as {@code mailsift: file:line:column: message} with exit 1.
 */
public final class ConfigTestCommand implements CliCommand {
    @Override
    public String name() {
        return "configtest";
    }

    @Override
    public String summary() {
        return "check the configuration files (exit 1 with file:line:column on an error)";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, Io io) {
        ConfigDirectory config = ContextLoader.config(line);
        for (Path file : config.configFiles()) {
            config.parse(file);
        }
        for (String section : config.sectionNames()) {
            config.section(section);
        }
        ContextLoader.dataDirectory(line, config);
        // the scan engine reads actions, groups, milter_headers and options: bad values fail here, unknown
        // options become warnings (Bayes is left out: opening its store is not a syntax check)
        EngineFactory.create(config, List.of());
        for (String warning : config.warnings()) {
            io.err().println("warning: " + warning);
        }
        io.out().println("syntax OK");
        return 0;
    }
}
