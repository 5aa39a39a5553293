package org.mailsift.agent.cli;

import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;

/**
 * {@code mailsift reload}: asks the running daemon, through its controller's {@code POST /reload}, to re-read its
 * configuration, as SIGHUP does. It works where SIGHUP cannot: a daemon started with SIGHUP ignored (nohup), a
 * controller reached from another host. The endpoint needs the enable password unless the peer is in secure_ip; it is
 * read from {@code --password-file} or {@code MAILSIFT_PASSWORD} (a {@code -P} argument is visible in {@code ps}).
 */
final class ReloadCommand implements CliCommand {
    static final int EX_UNAVAILABLE = 69;

    @Override
    public String name() {
        return "reload";
    }

    @Override
    public String summary() {
        return "make the running daemon re-read its configuration (through the controller, like SIGHUP)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("P").longOpt("password").hasArg().argName("PASSWORD")
                .desc("enable password (visible in ps: prefer --password-file or MAILSIFT_PASSWORD)").get());
        o.addOption(Option.builder().longOpt("password-file").hasArg().argName("FILE")
                .desc("read the enable password from the first line of FILE").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        try (AgentContext context = ContextLoader.open(line)) {
            Optional<ControllerClient> daemon = ControllerClient.fromConfig(context.config(), ControllerClient.password(line));
            if (daemon.isEmpty()) {
                io.err().println("mailsift reload: the controller has no TCP bind_socket in worker-controller.inc;"
                        + " reload with `systemctl reload mailsift` or `kill -HUP` instead");
                return EX_UNAVAILABLE;
            }
            Optional<ControllerClient.Reply> reply = daemon.get().post("reload");
            if (reply.isEmpty()) {
                io.err().println("mailsift reload: no daemon answers at " + daemon.get().base());
                return EX_UNAVAILABLE;
            }
            ControllerClient.Reply r = reply.get();
            if (r.status() == 200) {
                io.out().println("configuration reloaded by the daemon at " + daemon.get().base());
                return 0;
            }
            String hint = r.status() == 401 || r.status() == 403 || r.status() == 429
                    ? " (the controller wants the enable password: --password-file FILE or MAILSIFT_PASSWORD)" : "";
            io.err().println("mailsift reload: the daemon answered " + r.status() + ": " + r.body().trim() + hint);
            return 1;
        }
    }
}
