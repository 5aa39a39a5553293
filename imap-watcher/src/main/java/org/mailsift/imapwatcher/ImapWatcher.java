package org.mailsift.imapwatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.mailsift.core.learn.Learner;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.imapwatcher.AccountStatus.AccountSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP watcher: one {@link AccountWatcher} (one virtual thread, one IDLE connection on Junk) per account, a shared
 * {@link LearnRetryPool}, a scheduler for keepalives, the status file, and in Dovecot master-user mode the periodic
 * re-reading of the user list. Start with {@link #start()}, stop with {@link #close()}.
 */
public final class ImapWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapWatcher.class);

    private final WatcherSettings settings;
    private final Path stateDir;
    private final Metrics metrics;
    private final ImapSessions sessions;
    private final LearnRetryPool queue;
    private final Map<String, AccountWatcher> watchers = new ConcurrentHashMap<>();
    private final Map<String, AccountStatus> statuses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private volatile long lastWrite;
    private final Learner learner;
    private volatile FolderBootstrap bootstrap;
    private volatile Thread bootstrapThread;

    public ImapWatcher(WatcherSettings settings, Learner learner, Metrics metrics, Path dataDir) {
        this.settings = settings;
        this.stateDir = dataDir.resolve("imap-watcher");
        this.metrics = metrics;
        this.learner = learner;
        this.sessions = new ImapSessions(settings);
        this.queue = new LearnRetryPool(learner, metrics, 2, settings.learnRetries(), Duration.ofMillis(500));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imap-watcher-scheduler");
            t.setDaemon(true);
            return t;
        });
        metrics.describe("mailsift_imap_watcher_accounts", "Watched accounts by connection state");
        metrics.describe("mailsift_imap_watcher_keepalives_total", "NOOPs sent to refresh an IDLE connection, by account");
        metrics.describe("mailsift_imap_watcher_account_errors", "Errors since start (connection, login, unreadable message), by account");
        metrics.describe("mailsift_imap_watcher_last_event_timestamp_seconds", "When an account last saw a move or delivery into Junk");
        metrics.describe("mailsift_imap_watcher_last_error_timestamp_seconds", "When an account last had an error");
    }

    public void start() {
        for (AccountSettings a : settings.accounts()) {
            add(a);
        }
        if (settings.master() != null) {
            refreshMasterUsers();
            long every = settings.master().usersRefresh().toMillis();
            scheduler.scheduleWithFixedDelay(this::refreshMasterUsers, every, every, TimeUnit.MILLISECONDS);
        }
        Duration keepalive = settings.idleRefresh();
        scheduler.scheduleWithFixedDelay(() -> watchers.values().forEach(w -> w.keepalive(keepalive)),
                keepalive.toMillis(), Math.max(1000, keepalive.toMillis() / 4), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::writeStatus, 1, 1, TimeUnit.SECONDS);
        log.info("IMAP watcher started for {} account(s)", watchers.size());
        if (settings.bootstrap().enabled()) {
            startBootstrap();
        }
    }

    /**
     * {@code bootstrap = true}: learns every account's existing Junk and old read mail once, on its own thread and its
     * own connections beside the watchers; accounts an earlier start completed are left alone.
     */
    private void startBootstrap() {
        FolderBootstrap b = new FolderBootstrap(settings, settings.bootstrap(), learner, stateDir.getParent(),
                (account, line) -> {
                    log.info("bootstrap: {}", line);
                    AccountStatus status = statuses.get(account);
                    if (status != null) {
                        status.event("bootstrap: " + line.substring(Math.min(line.length(), account.length() + 2)));
                    }
                }, java.time.Clock.systemUTC());
        bootstrap = b;
        bootstrapThread = Thread.ofVirtual().name("imap-bootstrap").start(() -> {
            try {
                b.run(accounts(settings), false, true);
            } catch (IOException | RuntimeException e) {
                log.warn("bootstrap failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Moves into or out of Junk an account's watcher has decided (tests wait on it; see AccountStatus). */
    long movesDecided(String account) {
        AccountStatus s = statuses.get(account);
        return s == null ? 0 : s.movesDecided();
    }

    /** Waits for the start's bootstrap to finish (tests); returns at once when there is none. */
    boolean awaitBootstrap(Duration bound) throws InterruptedException {
        Thread t = bootstrapThread;
        return t == null || t.join(bound);
    }

    /** The accounts to watch: the configured ones, and in master-user mode every listed user not configured too. */
    public static List<AccountSettings> accounts(WatcherSettings settings) throws IOException, InterruptedException {
        List<AccountSettings> out = new ArrayList<>(settings.accounts());
        if (settings.master() != null) {
            Set<String> configured = new LinkedHashSet<>();
            settings.accounts().forEach(a -> configured.add(a.name()));
            for (String u : listUsers(settings.master())) {
                if (!configured.contains(u)) {
                    out.add(settings.master().accountFor(u));
                }
            }
        }
        return out;
    }

    /** Starts watching one account (or records why it cannot run). */
    void add(AccountSettings a) {
        AccountStatus status = statuses.computeIfAbsent(a.name(), n -> new AccountStatus(n, () -> dirty.set(true)));
        if (!a.enabled()) {
            status.state(AccountStatus.Connection.DISABLED);
            return;
        }
        if (a.problem() != null) {
            status.state(AccountStatus.Connection.MISCONFIGURED);
            status.error(a.problem());
            log.warn("{}: not watched: {}", a.name(), a.problem());
            return;
        }
        AccountState state = AccountState.load(AccountState.fileFor(stateDir, a.name()));
        AccountWatcher w = new AccountWatcher(a, settings, sessions, status, state, queue::submit,
                () -> metrics.increment("mailsift_imap_watcher_keepalives_total", "account", a.name()));
        if (watchers.putIfAbsent(a.name(), w) == null) {
            w.start();
        }
    }

    private void remove(String name) {
        AccountWatcher w = watchers.remove(name);
        if (w != null) {
            w.stop(Duration.ofSeconds(5));
        }
        statuses.remove(name);
    }

    /** Master-user mode: watch every listed user, stop watching users no longer listed. */
    private void refreshMasterUsers() {
        WatcherSettings.MasterSettings m = settings.master();
        try {
            Set<String> users = listUsers(m);
            Set<String> configured = new LinkedHashSet<>();
            settings.accounts().forEach(a -> configured.add(a.name()));
            for (String u : users) {
                if (!configured.contains(u) && !watchers.containsKey(u)) {
                    add(m.accountFor(u));
                }
            }
            for (String name : new ArrayList<>(watchers.keySet())) {
                if (!configured.contains(name) && !users.contains(name)) {
                    log.info("{}: no longer listed, stop watching", name);
                    remove(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot list users for master-user mode: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Set<String> listUsers(WatcherSettings.MasterSettings m) throws IOException, InterruptedException {
        List<String> lines;
        if (m.usersFile() != null) {
            lines = Files.readAllLines(m.usersFile(), StandardCharsets.UTF_8);
        } else {
            Process p = new ProcessBuilder("/bin/sh", "-c", m.usersCommand()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("users_command \"" + m.usersCommand() + "\" failed: " + err.strip());
            }
            lines = out.lines().toList();
        }
        Set<String> users = new LinkedHashSet<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            users.add(t.split("\\s+", 2)[0]);
        }
        return users;
    }

    /** Every account's counters and state, sorted by name. */
    public List<AccountSnapshot> status() {
        return statuses.values().stream().map(AccountStatus::snapshot)
                .sorted(java.util.Comparator.comparing(AccountSnapshot::account)).toList();
    }

    public int pendingLearns() {
        return queue.pending();
    }

    private void writeStatus() {
        try {
            for (AccountStatus.Connection s : AccountStatus.Connection.values()) {
                metrics.gauge("mailsift_imap_watcher_accounts", "state", s.name().toLowerCase(java.util.Locale.ROOT))
                        .set(statuses.values().stream().filter(a -> a.state() == s).count());
            }
            // learned spam/ham per account are mailsift_imap_watcher_learns_total (LearnRetryPool); the texts are in /stat
            for (AccountSnapshot a : status()) {
                metrics.gauge("mailsift_imap_watcher_account_errors", "account", a.account()).set(a.errors());
                if (a.lastEventAt() != null) {
                    metrics.gauge("mailsift_imap_watcher_last_event_timestamp_seconds", "account", a.account())
                            .set(a.lastEventAt().getEpochSecond());
                }
                if (a.lastErrorAt() != null) {
                    metrics.gauge("mailsift_imap_watcher_last_error_timestamp_seconds", "account", a.account())
                            .set(a.lastErrorAt().getEpochSecond());
                }
            }
            // rewritten on change, and at least every minute so `watcher status` can tell a live daemon from a dead one
            if (dirty.getAndSet(false) || System.nanoTime() - lastWrite > TimeUnit.MINUTES.toNanos(1)) {
                lastWrite = System.nanoTime();
                WatcherStatusFile.write(WatcherStatusFile.in(stateDir.getParent()), status());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write watcher status: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        FolderBootstrap b = bootstrap;
        if (b != null) {
            b.stop(); // closes its connection; no interrupt, which would close the Bayes store's files under a learn
            bootstrapThread.join(Duration.ofSeconds(10));
        }
        scheduler.shutdownNow();
        List<Thread> stoppers = new ArrayList<>();
        for (AccountWatcher w : watchers.values()) {
            stoppers.add(Thread.ofVirtual().start(() -> w.stop(Duration.ofSeconds(5))));
        }
        for (Thread t : stoppers) {
            t.join();
        }
        watchers.clear();
        queue.close(Duration.ofSeconds(10));
        dirty.set(true);
        writeStatus();
        log.info("IMAP watcher stopped");
    }
}
