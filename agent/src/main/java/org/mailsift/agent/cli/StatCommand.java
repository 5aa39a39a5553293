package org.mailsift.agent.cli;

import java.util.Map;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.learn.LearnStatistics;

/**
 * {@code mailsift stat}: Bayes learns per class, tokens, per-user learns and the store kind. Asks the running daemon
 * (controller /stat) when one answers, since it holds the embedded store; otherwise reads the store directly.
 */
public final class StatCommand implements CliCommand {
    @Override
    public String name() {
        return "stat";
    }

    @Override
    public String summary() {
        return "show Bayes statistics: learns per class, tokens, users, store kind";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("local").desc("do not ask the daemon; open the store directly").get());
        o.addOption(Option.builder("P").longOpt("password").hasArg().argName("PASSWORD").desc("controller password").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        try (AgentContext context = ContextLoader.open(line)) {
            if (!line.hasOption("local")) {
                Optional<ControllerClient> daemon = ControllerClient.fromConfig(context.config(), line.getOptionValue("password"));
                if (daemon.isPresent()) {
                    Optional<ControllerClient.Reply> r = daemon.get().send("stat", null, null, false);
                    if (r.isPresent()) {
                        io.out().println("From the running daemon at " + daemon.get().base() + ":");
                        io.out().println(r.get().body().trim());
                        return r.get().status() == 200 ? 0 : 1;
                    }
                }
            }
            print(context.learner().statistics(), io);
        }
        return 0;
    }

    static void print(LearnStatistics s, Io io) {
        io.out().println("Bayes store: " + s.storeKind());
        io.out().println("Learns: spam " + s.spamLearns() + ", ham " + s.hamLearns());
        io.out().println("Tokens: spam " + s.spamTokens() + ", ham " + s.hamTokens());
        io.out().println("Users: " + s.perUser().size());
        for (Map.Entry<String, long[]> u : s.perUser().entrySet()) {
            io.out().println("  " + u.getKey() + ": spam " + u.getValue()[0] + ", ham " + u.getValue()[1]);
        }
        io.out().println("Queued learns: " + s.queued());
    }
}
