package org.mailsift.imapwatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.imapwatcher.LearnRetryPool.LearnTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one account on its own virtual thread: connect, find the Junk folder(s), catch up, then IDLE on Junk (or
 * poll when the server lacks IDLE) and reconcile after every wake-up. Any failure closes the connection and retries
 * after a capped, jittered exponential backoff; it never affects other accounts.
 */
final class AccountWatcher {
    private static final Logger log = LoggerFactory.getLogger(AccountWatcher.class);
    private static final int EXPUNGED_LIMIT = 500;

    private final AccountSettings account;
    private final WatcherSettings settings;
    private final ImapSessions sessions;
    private final AccountStatus status;
    private final AccountState state;
    private final JunkReconciler reconciler;
    private volatile boolean running = true;
    private volatile IMAPStore store;
    private volatile IMAPFolder idling;
    private volatile Thread thread;
    private volatile long lastWake = System.nanoTime();
    private boolean condstore;
    private final Runnable keepalives;

    AccountWatcher(AccountSettings account, WatcherSettings settings, ImapSessions sessions, AccountStatus status,
                   AccountState state, Consumer<LearnTask> learn, Runnable keepalives) {
        this.keepalives = keepalives;
        this.account = account;
        this.settings = settings;
        this.sessions = sessions;
        this.status = status;
        this.state = state;
        this.reconciler = new JunkReconciler(account, settings, state, status, learn);
    }

    String name() {
        return account.name();
    }

    AccountStatus status() {
        return status;
    }

    void start() {
        thread = Thread.ofVirtual().name("imap-watcher-" + account.name()).start(this::run);
    }

    private void run() {
        Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        while (running) {
            try {
                status.state(Connection.CONNECTING);
                store = sessions.connect(account);
                FolderRole.Roles roles = FolderRole.resolve(FolderLister.list((IMAPFolder) store.getDefaultFolder()),
                        settings.junkFolders(), settings.trashFolders());
                if (roles.junk().isEmpty()) {
                    if (status.state() != Connection.NO_JUNK_FOLDER) {
                        status.state(Connection.NO_JUNK_FOLDER);
                        status.error("no Junk folder: none has \\Junk and none is named " + settings.junkFolders());
                    }
                    closeStore();
                    pause(settings.pollInterval());
                    continue;
                }
                watch(roles.junkNames(), backoff);
            } catch (AuthenticationFailedException e) {
                failed(Connection.AUTH_FAILED, "authentication failed for " + account.loginUser() + " at " + account.host() + ":"
                        + account.port() + ": " + e.getMessage(), backoff);
            } catch (MessagingException | RuntimeException e) {
                if (running) {
                    failed(Connection.BACKOFF, describe(e), backoff);
                }
            } finally {
                closeStore();
            }
        }
        status.state(Connection.STOPPED);
    }

    /** Opens the Junk folder(s), catches up, then IDLEs (or polls) and reconciles after every wake-up until stopped. */
    private void watch(List<String> junkNames, Backoff backoff) throws MessagingException {
        // capabilities first: asking the store later, while Junk holds the connection, would open a second one
        boolean idle = store.hasCapability("IDLE");
        condstore = store.hasCapability("CONDSTORE");
        IMAPFolder primary = (IMAPFolder) store.getFolder(junkNames.get(0));
        primary.open(Folder.READ_ONLY);
        List<String> others = new ArrayList<>(junkNames.subList(1, junkNames.size()));
        reconcileAll(primary, others);
        backoff.reset();
        status.state(idle ? Connection.IDLE : Connection.POLLING);
        log.info("{}: watching {} by {} ({}:{})", account.name(), junkNames, idle ? "IDLE" : "polling every " + settings.pollInterval(),
                account.host(), account.port());
        while (running) {
            if (idle) {
                idling = primary;
                try {
                    primary.idle(true); // returns after the first notification (EXISTS, EXPUNGE) or our keepalive NOOP
                } finally {
                    idling = null;
                }
            } else {
                pause(settings.pollInterval());
                primary.getMessageCount(); // a NOOP: lets the server report EXISTS/EXPUNGE
            }
            if (!running) {
                return;
            }
            lastWake = System.nanoTime();
            reconcileAll(primary, others);
            if (reconciler.expungedHeld() > EXPUNGED_LIMIT) {
                // angus keeps every message expunged by other clients until the folder is closed: bound that memory
                primary.close(false);
                primary.open(Folder.READ_ONLY);
            }
        }
    }

    /** Reconciles until a pass finds nothing new (a pass that searched other folders had Junk closed meanwhile). */
    private void reconcileAll(IMAPFolder primary, List<String> others) throws MessagingException {
        // again after departures (Junk was closed for the searches) and whenever the server announced changes while
        // the pass was busy: IDLE would not report those again
        while (reconciler.reconcile(store, primary, condstore).departures() > 0 || reconciler.notifiedSinceLastPass(primary)) {
            log.debug("{}: reconciling again: Junk changed during the pass", account.name());
        }
        if (others.isEmpty()) {
            return;
        }
        // further Junk folders (rare: several named Junk/Spam without \Junk) are checked at each wake-up, one at a time
        primary.close(false);
        try {
            for (String name : others) {
                IMAPFolder f = (IMAPFolder) store.getFolder(name);
                f.open(Folder.READ_ONLY);
                try {
                    reconciler.reconcile(store, f, condstore);
                } finally {
                    if (f.isOpen()) {
                        f.close(false);
                    }
                }
            }
        } finally {
            primary.open(Folder.READ_ONLY);
        }
    }

    /**
     * Called periodically (idle_refresh, or poll_interval when several Junk folders exist): a NOOP ends the current
     * IDLE, which both proves the connection alive and makes the loop reconcile, then IDLE again.
     */
    void keepalive(Duration every) {
        IMAPFolder f = idling;
        if (f == null || System.nanoTime() - lastWake < every.toNanos() / 2) {
            return;
        }
        keepalives.run();
        Thread.ofVirtual().name("imap-watcher-noop-" + account.name()).start(() -> {
            try {
                f.doCommand(p -> {
                    p.noop();
                    return null;
                });
            } catch (MessagingException | RuntimeException e) {
                log.debug("{}: keepalive failed: {}", account.name(), e.toString());
            }
        });
    }

    private void failed(AccountStatus.Connection s, String message, Backoff backoff) {
        Duration delay = backoff.next();
        status.state(s);
        status.error(message);
        log.warn("{}: {}; retrying in {} ms", account.name(), message, delay.toMillis());
        pause(delay);
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable c = e.getCause();
        if (c != null && c != e) {
            sb.append(" (").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
        }
        return sb.toString();
    }

    private void pause(Duration d) {
        if (!running) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            // stop() interrupts; the loop checks running
        }
    }

    private void closeStore() {
        IMAPStore s = store;
        store = null;
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException | RuntimeException ignored) {
                // the connection is being dropped anyway
            }
        }
    }

    /** Stops the loop: interrupting the virtual thread unblocks its socket read; waits up to {@code bound}. */
    void stop(Duration bound) {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            if (!t.join(bound)) {
                closeStore();
                t.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    AccountState state() {
        return state;
    }
}
