package org.mailsift.agent.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;

/**
 * {@code mailsift learn-spam|learn-ham [--user U] [--bulk] FILE...|DIR|-}: learns each message and prints one line
 * per message. When a daemon answers at the configured controller address the messages go to it (it owns the
 * store), as {@code rspamc learn_spam} does; otherwise the command opens the store itself.
 */
public final class LearnCommand implements CliCommand {
    private final LearnClass learnClass;

    public LearnCommand(LearnClass learnClass) {
        this.learnClass = learnClass;
    }

    @Override
    public String name() {
        return "learn-" + learnClass.label();
    }

    @Override
    public String summary() {
        return "learn messages as " + learnClass.label() + " (through the running daemon, else directly into the store)";
    }

    @Override
    public String argumentsSyntax() {
        return "FILE...|DIR|-";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("u").longOpt("user").hasArg().argName("USER")
                .desc("mailbox owner for per-user statistics (Deliver-To)").get());
        o.addOption(Option.builder().longOpt("bulk").desc("learn even what the classifier is already sure of (Learn-Type: bulk)").get());
        ControllerClient.addOptions(o);
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        List<MessageInputs> inputs = MessageInputs.expand(line.getArgList());
        if (inputs.isEmpty()) {
            io.err().println("mailsift " + name() + ": nothing to learn (give FILE..., DIR or - for standard input)");
            return 2;
        }
        String user = line.getOptionValue("user");
        boolean bulk = line.hasOption("bulk");
        int failures = 0;
        try (AgentContext context = ContextLoader.open(line)) {
            Optional<ControllerClient> daemon = line.hasOption("local") ? Optional.empty()
                    : ControllerClient.fromConfig(context.config(), ControllerClient.password(line));
            for (MessageInputs in : inputs) {
                if (in.error() != null) {
                    io.out().println(in.name() + ": error: " + in.error());
                    failures++;
                    continue;
                }
                byte[] raw;
                try {
                    raw = in.read(io.in());
                } catch (IOException e) {
                    io.out().println(in.name() + ": error: cannot read: " + e.getMessage());
                    failures++;
                    continue;
                }
                if (daemon.isPresent()) {
                    Optional<ControllerClient.Reply> reply = daemon.get().send("learn" + learnClass.label(), raw, user, bulk);
                    if (reply.isPresent()) {
                        ControllerClient.Reply r = reply.get();
                        io.out().println(in.name() + ": " + r.status() + " " + r.body().trim() + (r.status() == 401
                                ? " (learning needs the controller's enable password: --password-file FILE or MAILSIFT_PASSWORD)" : ""));
                        failures += r.status() == 200 || r.status() == 208 ? 0 : r.status() == 204 ? 0 : 1;
                        continue;
                    }
                    daemon = Optional.empty(); // nobody listens: learn locally from now on
                }
                LearnOutcome o = context.learner().learn(raw, new LearnRequest(learnClass, user, bulk, "cli"));
                io.out().println(in.name() + ": " + o.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + o.message());
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
