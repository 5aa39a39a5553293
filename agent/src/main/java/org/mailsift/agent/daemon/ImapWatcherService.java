package org.mailsift.agent.daemon;

import java.util.List;

import org.mailsift.agent.AgentContext;
import org.mailsift.imapwatcher.AccountStatus.AccountSnapshot;
import org.mailsift.imapwatcher.ImapWatcher;
import org.mailsift.imapwatcher.WatcherSettings;

/**
 * The IMAP watcher (issue 6) inside {@code mailsift run}: enabled by {@code imap_watcher { enabled = true }}
 * ({@code local.d/imap_watcher.conf}); learns through the context's Learner, counts in its Metrics, keeps state in
 * {@code <data>/imap-watcher/}.
 */
public final class ImapWatcherService implements DaemonService {
    private ImapWatcher watcher;

    @Override
    public String name() {
        return "imap-watcher";
    }

    @Override
    public boolean enabled(AgentContext context) {
        return WatcherSettings.enabledIn(context.config());
    }

    @Override
    public void start(AgentContext context) {
        WatcherSettings settings = WatcherSettings.from(context.config());
        ImapWatcher w = new ImapWatcher(settings, context.learner(), context.metrics(), context.dataDir());
        watcher = w;
        context.watchedAccounts(() -> w.status().stream().map(AccountSnapshot::toWatchedAccount).toList());
        w.start();
    }

    /** Per-account counters for status pages. */
    public List<AccountSnapshot> status() {
        return watcher == null ? List.of() : watcher.status();
    }

    @Override
    public void close() throws Exception {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
