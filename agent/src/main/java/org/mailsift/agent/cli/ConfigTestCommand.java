package org.mailsift.agent.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.agent.logging.LogLevels;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.imapwatcher.WatcherSettings;
import org.mailsift.milter.MilterSettings;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.bayes.BayesModule;
import org.mailsift.scanner.bayes.OutboundHam;
import org.mailsift.scanner.policy.PolicyModules;
import org.mailsift.sieve.deliver.DeliverSettings;

/**
 * {@code mailsift configtest}: parses every *.conf / *.inc of the configuration directory, local.d and override.d
 * (with their includes), merges every section, then builds every module's settings exactly as {@code run} will
 * (the scan engine, Bayes, the milter, both HTTP workers, the IMAP watcher, deliver, DNS, logging), so that a bad
 * value fails here rather than at start, and unknown options are reported; prints the warnings, then "syntax OK".
 * An error is reported by Main as {@code mailsift: file:line:column: message} with exit 1.
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
        Path dataDir = ContextLoader.dataDirectory(line, config);
        checkEveryModule(config, dataDir);
        warnUnread(config);
        for (String section : config.sectionNames()) {
            config.section(section);
        }
        for (String warning : config.warnings()) {
            io.err().println("warning: " + warning);
        }
        io.out().println("syntax OK");
        return 0;
    }

    /**
     * A file no module reads ({@code local.d/phishing.conf} for a module mailsift does not have, or a misspelt
     * {@code local.d/multimaps.conf}) is a warning, as Rspamd warns of an unknown module.
     */
    static void warnUnread(ConfigDirectory config) {
        Set<String> read = config.readSections();
        for (String section : config.sectionNames()) {
            if (!read.contains(section)) {
                for (Path f : config.filesOf(section)) {
                    config.warn(f + ":1:1: no mailsift module reads '" + section + "' (file ignored)");
                }
            }
        }
    }

    /**
     * Each module's settings, read the way the daemon reads them: a bad value throws a ConfigException naming file
     * and line; unknown options become warnings. Nothing is opened or bound (Bayes' store, sockets, IMAP).
     */
    static void checkEveryModule(ConfigDirectory config, Path dataDir) {
        // actions, groups, scores, milter_headers, options, spam_header, multimap (maps loaded: bad lines warn)
        EngineFactory.create(config, List.of()).close();
        // rbl.conf and hfilter.conf: the engine above has no resolver, so its DNS checks were not read
        for (var rule : EngineFactory.networkRules(config)) {
            if (rule instanceof org.mailsift.scanner.rbl.RblModule rbl) {
                rbl.close();
            }
        }
        BayesModule.settings(config);
        OutboundHam.from(config.section("classifier-bayes"));
        MilterSettings.from(config.section(MilterSettings.SECTION), config::warn);
        ControllerSettings.fromConfig(config); // worker-normal, worker-controller
        WatcherSettings.from(config);
        DeliverSettings.from(config.section("deliver"), dataDir, config::warn);
        DnsSettings.from(config);
        LogLevels.from(config);
        PolicyModules.check(config); // greylist.conf, replies.conf
    }
}
