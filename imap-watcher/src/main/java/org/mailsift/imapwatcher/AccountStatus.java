package org.mailsift.imapwatcher;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.metrics.WatchedAccount;

/** Live counters and state of one watched account; {@link #snapshot()} gives an immutable copy. */
public final class AccountStatus {
    /** Connection state, as shown by {@code mailsift watcher status}. */
    public enum Connection {
        STARTING, CONNECTING, IDLE, POLLING, BACKOFF, AUTH_FAILED, NO_JUNK_FOLDER, MISCONFIGURED, DISABLED, STOPPED
    }

    private final String account;
    private final Runnable onChange;
    private final AtomicLong learnedSpam = new AtomicLong();
    private final AtomicLong learnedHam = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong filedByFilter = new AtomicLong();
    private final AtomicLong movesDecided = new AtomicLong();
    private volatile Connection state = Connection.STARTING;
    private volatile String lastEvent;
    private volatile Instant lastEventAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public AccountStatus(String account, Runnable onChange) {
        this.account = account;
        this.onChange = onChange;
    }

    public String account() {
        return account;
    }

    public Connection state() {
        return state;
    }

    public void state(Connection s) {
        if (state != s) {
            state = s;
            onChange.run();
        }
    }

    public void event(String description) {
        lastEvent = description;
        lastEventAt = Instant.now();
        onChange.run();
    }

    public void error(String description) {
        errors.incrementAndGet();
        lastError = description;
        lastErrorAt = Instant.now();
        onChange.run();
    }

    /**
     * A learn was stored: its event first, then the count, so whoever sees the new count (the status file, /stat)
     * also sees the event that goes with it.
     */
    public void learned(LearnClass cls, String description) {
        lastEvent = description;
        lastEventAt = Instant.now();
        (cls == LearnClass.SPAM ? learnedSpam : learnedHam).incrementAndGet();
        onChange.run();
    }

    /**
     * A message the filter filed into Junk was recorded (not learned): from now on, a user moving it out is seen as a
     * rescue. Before, the watcher cannot tell it from any other new mail elsewhere.
     */
    public void filedByFilter() {
        filedByFilter.incrementAndGet();
        onChange.run();
    }

    /**
     * A user's move into or out of Junk was decided (learn as spam, learn as ham, moved to Trash, deleted), as the pass
     * that saw it ran, before the learn itself is stored: once this has counted every move a test made, no pass is
     * left to learn anything more from them.
     */
    void moveDecided() {
        movesDecided.incrementAndGet();
    }

    /** Moves into or out of Junk decided since start (see {@link #moveDecided()}); not part of the snapshot. */
    long movesDecided() {
        return movesDecided.get();
    }

    public AccountSnapshot snapshot() {
        return new AccountSnapshot(account, state, learnedSpam.get(), learnedHam.get(), errors.get(),
                lastEvent, lastEventAt, lastError, lastErrorAt, filedByFilter.get());
    }

    /** Immutable view of an account's status. Times are null when nothing happened yet. */
    public record AccountSnapshot(String account, Connection state, long learnedSpam, long learnedHam, long errors,
                                  String lastEvent, Instant lastEventAt, String lastError, Instant lastErrorAt,
                                  long filedByFilter) {

        /** The same, as the controller's /stat shows it. */
        public WatchedAccount toWatchedAccount() {
            return new WatchedAccount(account, state.name().toLowerCase(Locale.ROOT), learnedSpam, learnedHam, errors,
                    lastEvent, lastEventAt, lastError, lastErrorAt, filedByFilter);
        }
    }
}
