package org.mailsift.agent.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.core.learn.LearnClass;

/** Every CLI command, in the order `mailsift --help` lists them. Add one line per command. */
public final class Commands {
    private Commands() {
    }

    public static List<CliCommand> all() {
        return List.of(
                // registrations: keep one per line, in the order `mailsift --help` shows them
                new RunCommand(),
                new ReloadCommand(),
                new ScanCommand(),
                new LearnCommand(LearnClass.SPAM),
                new LearnCommand(LearnClass.HAM),
                new LearnFoldersCommand(),
                new StatCommand(),
                new WatcherStatusCommand(),
                new DeliverCommand(),
                new FilterCommand(),
                new ConfigTestCommand(),
                new ConfigDumpCommand(),
                new BayesCommand(),
                new BenchCommand(),
                new BayesEvalCommand(),
                new FitScoresCommand(),
                new PwCommand(),
                new DkimKeygenCommand()
        );
    }

    public static Optional<CliCommand> find(String name) {
        Map<String, CliCommand> byName = new LinkedHashMap<>();
        all().forEach(c -> byName.put(c.name(), c));
        return Optional.ofNullable(byName.get(name));
    }

    /** -c/--config DIR and --dbdir DIR, shared by every command that reads the configuration. */
    public static Options commonOptions() {
        Options o = new Options();
        o.addOption(Option.builder("c").longOpt("config").hasArg().argName("DIR")
                .desc("configuration directory (default: the distribution's etc/, /etc/mailsift when packaged)").get());
        o.addOption(Option.builder().longOpt("dbdir").hasArg().argName("DIR")
                .desc("data directory for the embedded store, queues and watcher state (overrides options { dbdir })").get());
        o.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        return o;
    }
}
