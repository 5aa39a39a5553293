package org.mailsift.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.imapwatcher.AccountStatus.AccountSnapshot;
import org.mailsift.imapwatcher.WatcherStatusFile;

/**
 * {@code mailsift watcher status}: the IMAP watcher's per-account counters (learned spam/ham, last event, last error),
 * read from the status file the running daemon keeps in the data directory.
 */
public final class WatcherStatusCommand implements CliCommand {
    @Override
    public String name() {
        return "watcher";
    }

    @Override
    public String summary() {
        return "IMAP watcher: per-account learned spam/ham, last event, last error (watcher status)";
    }

    @Override
    public String argumentsSyntax() {
        return "status";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1 || !args.get(0).equals("status")) {
            io.err().println("usage: mailsift watcher status");
            return 2;
        }
        Path data = ContextLoader.dataDirectory(line, ContextLoader.config(line));
        Path file = WatcherStatusFile.in(data);
        if (!Files.exists(file)) {
            io.err().println("no IMAP watcher status in " + data + " (is imap_watcher enabled and has `mailsift run` started?)");
            return 1;
        }
        List<AccountSnapshot> accounts = WatcherStatusFile.read(file);
        Duration age = Duration.between(WatcherStatusFile.writtenAt(file), Instant.now());
        io.out().print(render(accounts));
        if (age.toSeconds() > 120) {
            io.out().println("note: written " + age.toMinutes() + " min ago; the daemon may not be running");
        }
        return 0;
    }

    static String render(List<AccountSnapshot> accounts) {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(7, accounts.stream().mapToInt(a -> a.account().length()).max().orElse(0));
        String fmt = "%-" + w + "s  %-14s %6s %6s %6s  %s%n";
        sb.append(String.format(fmt, "ACCOUNT", "STATE", "SPAM", "HAM", "ERRORS", "LAST EVENT / LAST ERROR"));
        for (AccountSnapshot a : accounts) {
            sb.append(String.format(fmt, a.account(), a.state(), a.learnedSpam(), a.learnedHam(), a.errors(),
                    a.lastEvent() == null ? "-" : a.lastEventAt() + " " + a.lastEvent()));
            if (a.lastError() != null) {
                sb.append(String.format(fmt, "", "", "", "", "", "error " + a.lastErrorAt() + " " + a.lastError()));
            }
        }
        long spam = accounts.stream().mapToLong(AccountSnapshot::learnedSpam).sum();
        long ham = accounts.stream().mapToLong(AccountSnapshot::learnedHam).sum();
        sb.append(accounts.size()).append(" account(s), learned ").append(spam).append(" spam, ").append(ham).append(" ham\n");
        return sb.toString();
    }
}
