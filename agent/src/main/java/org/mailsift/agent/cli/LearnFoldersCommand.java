package org.mailsift.agent.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.learn.Learner;
import org.mailsift.imapwatcher.AccountSettings;
import org.mailsift.imapwatcher.BootstrapSettings;
import org.mailsift.imapwatcher.FolderBootstrap;
import org.mailsift.imapwatcher.ImapWatcher;
import org.mailsift.imapwatcher.WatcherSettings;

/**
 * {@code mailsift learn-folders}: day one for a new site. Learns every account of imap_watcher.conf (configured
 * accounts, or every user in master-user mode): its Junk as spam, its read mail older than {@code bootstrap_min_age}
 * in the {@code bootstrap_ham_folders} as ham, capped and balanced, each message once however often it is run
 * ({@link FolderBootstrap}). Prints the plan, a progress line every two seconds and one result line per account.
 * Learns through the running daemon when one answers, as {@code learn-spam} does.
 */
public final class LearnFoldersCommand implements CliCommand {
    @Override
    public String name() {
        return "learn-folders";
    }

    @Override
    public String summary() {
        return "learn each IMAP account's Junk as spam and its old read INBOX/Archive mail as ham, once (day-one bootstrap)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("a").longOpt("account").hasArg().argName("NAME")
                .desc("only this account of imap_watcher.conf (repeatable; default: every account)").get());
        o.addOption(Option.builder().longOpt("dry-run").desc("only print what would be learned").get());
        o.addOption(Option.builder().longOpt("max-per-class").hasArg().argName("N")
                .desc("at most N spam and N ham per account (default: bootstrap_max_per_class, 1000)").get());
        o.addOption(Option.builder().longOpt("min-age").hasArg().argName("DAYS")
                .desc("read mail must be this many days old to be ham (default: bootstrap_min_age, 14 days)").get());
        ControllerClient.addOptions(o);
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        Integer maxPerClass = number(line, "max-per-class");
        Integer minAgeDays = number(line, "min-age");
        if (!line.getArgList().isEmpty() || (maxPerClass != null && maxPerClass < 0) || (minAgeDays != null && minAgeDays < 0)) {
            io.err().println("mailsift learn-folders: takes no arguments; --max-per-class and --min-age take a number >= 0");
            return 2;
        }
        try (AgentContext context = ContextLoader.open(line)) {
            WatcherSettings settings = WatcherSettings.from(context.config());
            List<AccountSettings> accounts = ImapWatcher.accounts(settings);
            String[] only = line.getOptionValues("account");
            if (only != null) {
                Set<String> wanted = Set.of(only);
                List<String> unknown = wanted.stream().filter(n -> accounts.stream().noneMatch(a -> a.name().equals(n))).toList();
                if (!unknown.isEmpty()) {
                    io.err().println("mailsift learn-folders: no such account in imap_watcher.conf: " + String.join(", ", unknown));
                    return 1;
                }
                accounts.removeIf(a -> !wanted.contains(a.name()));
            }
            if (accounts.isEmpty()) {
                io.err().println("mailsift learn-folders: no IMAP accounts: configure them in local.d/imap_watcher.conf "
                        + "(account \"name\" { host = ...; user = ...; password_file = ...; }, or master_user with users_command)");
                return 1;
            }
            BootstrapSettings bootstrap = settings.bootstrap().with(maxPerClass,
                    minAgeDays == null ? null : Duration.ofDays(minAgeDays));
            Learner learner = line.hasOption("local") ? context.learner()
                    : new DaemonFirstLearner(ControllerClient.fromConfig(context.config(), line.getOptionValue("password")),
                    context.learner());
            FolderBootstrap run = new FolderBootstrap(settings, bootstrap, learner, context.dataDir(), (account, text) -> io.out().println(text),
                    Clock.systemUTC());
            List<FolderBootstrap.AccountReport> reports = run.run(accounts, line.hasOption("dry-run"), false);
            return reports.stream().anyMatch(r -> r.error() != null) ? 1 : 0;
        }
    }

    private static Integer number(CommandLine line, String option) {
        String v = line.getOptionValue(option);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
