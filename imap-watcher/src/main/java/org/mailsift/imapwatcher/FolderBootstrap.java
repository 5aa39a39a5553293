package org.mailsift.imapwatcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.SearchTerm;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Day-one learning from the mail users already have ({@link BootstrapSettings}): every account's Junk is learned as
 * spam, read mail older than {@code min_age} in the ham folders as ham, newest first, at most {@code max_per_class} of
 * each class per account, and over the whole run never more than {@code balance} times as many of one class as of
 * the other. Exactly once: each learned message is recorded in the account's {@link BootstrapState} right after the
 * learn, so a second run, or a run after a crash or restart, goes on where the last one stopped. Messages over
 * {@code max_size} and messages the server will not give are skipped and counted; the run goes on.
 *
 * <p>Two passes: a survey (one SEARCH and one FETCH of sizes per folder, no bodies) of every account, so the balance
 * holds over all of them, then the learning, account by account, in chunks that alternate spam and ham so that an
 * interrupted run is balanced too. Runs on the caller's thread; {@link #stop()} ends it between two messages.
 */
public final class FolderBootstrap {
    private static final Logger log = LoggerFactory.getLogger(FolderBootstrap.class);
    private static final int CHUNK = 50;
    private static final int MAX_RECONNECTS = 20;
    private static final int LEARN_ATTEMPTS = 6;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final WatcherSettings settings;
    private final BootstrapSettings bootstrap;
    private final ImapSessions sessions;
    private final Learner learner;
    private final Path stateDir;
    private final BiConsumer<String, String> progress;
    private final Clock clock;
    private volatile boolean stopped;
    /** The connection in use, so that {@link #stop()} can close it. */
    private volatile IMAPStore current;

    /**
     * @param progress receives (account, line): the plan, a progress line every two seconds and the result of each
     *                 account; each line starts with the account's name
     */
    public FolderBootstrap(WatcherSettings settings, BootstrapSettings bootstrap, Learner learner, Path dataDir,
                           BiConsumer<String, String> progress, Clock clock) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.sessions = new ImapSessions(settings);
        this.learner = learner;
        this.stateDir = dataDir.resolve("imap-watcher");
        this.progress = progress;
        this.clock = clock;
    }

    /** One message to learn, found by the survey. */
    record Candidate(LearnClass learnClass, String folder, long uidValidity, long uid) {
    }

    /**
     * What a run did for one account.
     *
     * @param learnedSpam       spam learned by this run
     * @param learnedHam        ham learned by this run
     * @param earlierSpam       spam learned by earlier runs (counted against the caps)
     * @param earlierHam        ham learned by earlier runs
     * @param skippedHuge       messages over max_size
     * @param skippedUnreadable messages the server would not give (or that vanished meanwhile)
     * @param complete          nothing planned is left (a later daemon start does not look at the account again)
     * @param error             why the run stopped early for this account, or null
     */
    public record AccountReport(String account, int learnedSpam, int learnedHam, long earlierSpam, long earlierHam,
                                int skippedHuge, int skippedUnreadable, int plannedSpam, int plannedHam, boolean complete,
                                String error) {
        public String summary() {
            StringBuilder sb = new StringBuilder(account).append(": ");
            if (error != null) {
                sb.append("stopped: ").append(error).append("; ");
            } else if (!complete) {
                sb.append("interrupted; ");
            } else {
                sb.append("done; ");
            }
            sb.append("learned ").append(learnedSpam).append(" spam and ").append(learnedHam).append(" ham");
            if (earlierSpam + earlierHam > 0) {
                sb.append(" (").append(earlierSpam).append(" spam and ").append(earlierHam).append(" ham by earlier runs)");
            }
            if (skippedHuge + skippedUnreadable > 0) {
                sb.append("; skipped ").append(skippedUnreadable).append(" unreadable and ").append(skippedHuge)
                        .append(" too big");
            }
            return sb.toString();
        }
    }

    /** The survey of one account. */
    private static final class Survey {
        final AccountSettings account;
        final long earlierSpam;
        final long earlierHam;
        final boolean complete;
        /** The account's state while a phase works on it (locked); null in between, so no run holds a file per account. */
        BootstrapState state;
        final List<Candidate> spam = new ArrayList<>();
        final List<Candidate> ham = new ArrayList<>();
        int huge;
        int planSpam;
        int planHam;
        String error;

        Survey(AccountSettings account, BootstrapState state) {
            this.account = account;
            this.earlierSpam = state.learned(LearnClass.SPAM);
            this.earlierHam = state.learned(LearnClass.HAM);
            this.complete = state.complete();
        }

        List<Candidate> of(LearnClass c) {
            return c == LearnClass.SPAM ? spam : ham;
        }

        long earlier(LearnClass c) {
            return c == LearnClass.SPAM ? earlierSpam : earlierHam;
        }
    }

    /** Ends the run between two messages (the daemon is stopping). */
    public void stop() {
        stopped = true;
        close(current); // unblocks a read in progress without interrupting the thread (which would close the store's files)
    }

    /**
     * Bootstraps {@code accounts}.
     *
     * @param dryRun       survey and plan only, learn nothing
     * @param skipComplete leave out accounts an earlier run completed (the daemon's start); the CLI looks at them
     *                     again, learning what became eligible since, within the same caps
     */
    public List<AccountReport> run(List<AccountSettings> accounts, boolean dryRun, boolean skipComplete) {
        List<Survey> surveys = new ArrayList<>();
        List<AccountReport> reports = new ArrayList<>();
        for (AccountSettings a : accounts) {
            if (stopped) {
                break;
            }
            if (!a.enabled()) {
                continue;
            }
            if (a.problem() != null) {
                reports.add(failed(a, a.problem()));
                continue;
            }
            try (BootstrapState state = lock(a)) {
                Survey s = new Survey(a, state);
                surveys.add(s);
                if (skipComplete && s.complete) {
                    continue;
                }
                s.state = state;
                try {
                    survey(s);
                } catch (MessagingException | RuntimeException e) {
                    s.error = "survey failed: " + describe(e);
                } finally {
                    s.state = null;
                }
            } catch (IOException e) {
                reports.add(failed(a, e.getMessage()));
            }
        }
        plan(surveys);
        for (Survey s : surveys) {
            if (skipComplete && s.complete && s.error == null && s.spam.isEmpty() && s.ham.isEmpty()) {
                continue;
            }
            progress.accept(s.account.name(), String.format(Locale.ROOT, "%s: to learn: %d spam of %d in Junk, %d ham of %d read messages older "
                            + "than %d days in %s%s%s", s.account.name(), s.planSpam, s.spam.size(), s.planHam, s.ham.size(),
                    bootstrap.minAge().toDays(), bootstrap.hamFolders(),
                    s.huge > 0 ? "; " + s.huge + " too big (over " + bootstrap.maxSize() + " bytes) skipped" : "",
                    s.error != null ? "; " + s.error : ""));
        }
        if (!dryRun) {
            for (Survey s : surveys) {
                if (stopped) {
                    break;
                }
                if (s.error != null) {
                    reports.add(failed(s.account, s.error));
                    continue;
                }
                if (skipComplete && s.complete) {
                    continue;
                }
                try (BootstrapState state = lock(s.account)) {
                    s.state = state;
                    reports.add(learn(s));
                } catch (IOException e) {
                    reports.add(failed(s.account, e.getMessage()));
                } finally {
                    s.state = null;
                }
            }
        }
        reports.forEach(r -> progress.accept(r.account(), r.summary()));
        return reports;
    }

    /** The account's state, locked for this run; an IOException says why not (e.g. another process has it). */
    private BootstrapState lock(AccountSettings a) throws IOException {
        BootstrapState state;
        try {
            state = BootstrapState.open(BootstrapState.fileFor(stateDir, a.name()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot open the bootstrap state: " + e.getMessage(), e);
        }
        if (state == null) {
            throw new IOException("another mailsift process is bootstrapping this account");
        }
        return state;
    }

    private static AccountReport failed(AccountSettings a, String error) {
        return new AccountReport(a.name(), 0, 0, 0, 0, 0, 0, 0, 0, false, error);
    }

    private void survey(Survey s) throws MessagingException {
        IMAPStore store = connect(s.account);
        try {
            FolderRole.Roles roles = FolderRole.resolve(FolderLister.list((IMAPFolder) store.getDefaultFolder()),
                    settings.junkFolders(), settings.trashFolders());
            List<List<Candidate>> spam = new ArrayList<>();
            for (FolderRole.Folder f : roles.junk()) {
                spam.add(collect(store, f, LearnClass.SPAM, s));
            }
            List<List<Candidate>> ham = new ArrayList<>();
            for (FolderRole.Folder f : roles.elsewhere()) {
                if (isHamFolder(f)) {
                    ham.add(collect(store, f, LearnClass.HAM, s));
                }
            }
            s.spam.addAll(roundRobin(spam));
            s.ham.addAll(roundRobin(ham));
        } finally {
            close(store);
        }
    }

    /** A configured ham folder by name (full name, or a subfolder of it), or "Archive" for a folder with \Archive. */
    boolean isHamFolder(FolderRole.Folder f) {
        String full = f.fullName().toLowerCase(Locale.ROOT);
        for (String name : bootstrap.hamFolders()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (full.equals(n) || (f.separator() != 0 && full.startsWith(n + f.separator()))) {
                return true;
            }
            if (n.equals("archive") && f.has("\\Archive")) {
                return true;
            }
        }
        return false;
    }

    /** The folder's candidates, newest (highest UID) first, without the ones earlier runs did and the huge ones. */
    private List<Candidate> collect(IMAPStore store, FolderRole.Folder f, LearnClass c, Survey s) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(f.fullName());
        folder.open(Folder.READ_ONLY);
        try {
            long validity = folder.getUIDValidity();
            Message[] found = folder.search(c == LearnClass.SPAM ? spamTerm() : hamTerm());
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            fp.add(FetchProfile.Item.SIZE);
            try {
                folder.fetch(found, fp);
            } catch (FolderClosedException | StoreClosedException lost) {
                throw lost;
            } catch (MessagingException sizesFailed) {
                // one message the library cannot parse fails the whole FETCH: UIDs only, sizes are checked after reading
                FetchProfile uids = new FetchProfile();
                uids.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(found, uids);
            }
            List<Candidate> out = new ArrayList<>();
            for (int i = found.length - 1; i >= 0; i--) {
                Message m = found[i];
                if (m.isExpunged()) {
                    continue;
                }
                long uid = folder.getUID(m);
                if (uid <= 0 || s.state.done(f.fullName(), validity, uid)) {
                    continue;
                }
                if (size(m) > bootstrap.maxSize()) {
                    s.huge++;
                    continue;
                }
                out.add(new Candidate(c, f.fullName(), validity, uid));
            }
            out.sort((a, b) -> Long.compare(b.uid(), a.uid()));
            return out;
        } finally {
            if (folder.isOpen()) {
                folder.close(false);
            }
        }
    }

    /** Anything in Junk but what is deleted or what a client marked as not junk. */
    private static SearchTerm spamTerm() {
        return new AndTerm(new FlagTerm(new Flags(Flags.Flag.DELETED), false), new FlagTerm(new Flags("$NotJunk"), false));
    }

    /** Read, not deleted, not marked as junk by a client, and (unless min_age is 0) older than min_age. */
    private SearchTerm hamTerm() {
        List<SearchTerm> terms = new ArrayList<>(List.of(new FlagTerm(new Flags(Flags.Flag.SEEN), true),
                new FlagTerm(new Flags(Flags.Flag.DELETED), false), new FlagTerm(new Flags("$Junk"), false)));
        if (!bootstrap.minAge().isZero()) {
            terms.add(new ReceivedDateTerm(ComparisonTerm.LT, Date.from(clock.instant().minus(bootstrap.minAge()))));
        }
        return new AndTerm(terms.toArray(SearchTerm[]::new));
    }

    /** The RFC822.SIZE from the FETCH above, or -1 when it could not be had (checked again after reading). */
    private static long size(Message m) {
        try {
            return m.getSize();
        } catch (MessagingException | RuntimeException e) {
            return -1;
        }
    }

    /** Newest first from each folder in turn, so a cap takes recent mail of every folder. */
    static List<Candidate> roundRobin(List<List<Candidate>> lists) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<Candidate> l : lists) {
                if (i < l.size()) {
                    out.add(l.get(i));
                    any = true;
                }
            }
            if (!any) {
                return out;
            }
        }
    }

    /** The caps per account, then the balance over the run; sets each survey's planSpam / planHam. */
    private void plan(List<Survey> surveys) {
        long spamTotal = 0;
        long hamTotal = 0;
        for (Survey s : surveys) {
            s.planSpam = want(s, LearnClass.SPAM);
            s.planHam = want(s, LearnClass.HAM);
            spamTotal += s.earlierSpam + s.planSpam;
            hamTotal += s.earlierHam + s.planHam;
        }
        if (hamTotal > bootstrap.balance() * spamTotal) {
            limit(surveys, LearnClass.HAM, (long) Math.floor(bootstrap.balance() * spamTotal));
        } else if (spamTotal > bootstrap.balance() * hamTotal) {
            limit(surveys, LearnClass.SPAM, (long) Math.floor(bootstrap.balance() * hamTotal));
        }
    }

    private int want(Survey s, LearnClass c) {
        long room = Math.max(0, bootstrap.maxPerClass() - s.earlier(c));
        return (int) Math.min(room, s.of(c).size());
    }

    /** Scales the new learns of class {@code c} down so the run's total (earlier learns included) is {@code allowed}. */
    private void limit(List<Survey> surveys, LearnClass c, long allowed) {
        long earlier = 0;
        long wanted = 0;
        for (Survey s : surveys) {
            earlier += s.earlier(c);
            wanted += planned(s, c);
        }
        long room = Math.max(0, allowed - earlier);
        long given = 0;
        for (Survey s : surveys) {
            int share = wanted == 0 ? 0 : (int) (planned(s, c) * room / wanted);
            set(s, c, share);
            given += share;
        }
        // what the rounding down left over goes to the accounts that still have candidates, one each in turn
        for (boolean more = true; given < room && more; ) {
            more = false;
            for (Survey s : surveys) {
                if (given < room && planned(s, c) < want(s, c)) {
                    set(s, c, planned(s, c) + 1);
                    given++;
                    more = true;
                }
            }
        }
    }

    private static int planned(Survey s, LearnClass c) {
        return c == LearnClass.SPAM ? s.planSpam : s.planHam;
    }

    private static void set(Survey s, LearnClass c, int n) {
        if (c == LearnClass.SPAM) {
            s.planSpam = n;
        } else {
            s.planHam = n;
        }
    }

    /** Spam and ham alternating, so that a run stopped halfway has learned both classes alike. */
    static List<Candidate> interleave(List<Candidate> spam, List<Candidate> ham) {
        List<Candidate> out = new ArrayList<>(spam.size() + ham.size());
        double step = ham.isEmpty() ? Double.MAX_VALUE : (double) spam.size() / ham.size();
        int si = 0;
        for (int hi = 0; hi < ham.size(); hi++) {
            while (si < spam.size() && si < (hi + 1) * step) {
                out.add(spam.get(si++));
            }
            out.add(ham.get(hi));
        }
        while (si < spam.size()) {
            out.add(spam.get(si++));
        }
        return out;
    }

    /** Learns one account's plan. */
    private AccountReport learn(Survey s) {
        List<Candidate> plan = new ArrayList<>(interleave(s.spam.subList(0, s.planSpam), s.ham.subList(0, s.planHam)));
        Run run = new Run(s, plan);
        String error = null;
        IMAPStore store = null;
        int reconnects = 0;
        int next = 0;
        try {
            while (next < plan.size() && !stopped) {
                try {
                    if (store == null) {
                        store = connect(s.account);
                    }
                    List<Candidate> chunk = List.copyOf(plan.subList(next, Math.min(plan.size(), next + CHUNK)));
                    learnChunk(store, chunk, run);
                    s.state.sync();
                    next += chunk.size();
                } catch (FolderClosedException | StoreClosedException lost) {
                    close(store);
                    store = null;
                    if (++reconnects > MAX_RECONNECTS) {
                        throw lost;
                    }
                    // the chunk's messages learned so far are in the state; the rest is read one by one after reconnecting
                    run.oneByOne = true;
                    while (next < plan.size() && run.finished(plan.get(next))) {
                        next++;
                    }
                }
            }
        } catch (MessagingException | RuntimeException e) {
            if (!stopped) {
                error = describe(e);
                log.warn("{}: bootstrap stopped: {}", s.account.name(), error);
            }
        } finally {
            close(store);
        }
        boolean complete = error == null && next >= plan.size() && !stopped;
        if (complete) {
            s.state.markComplete();
        }
        run.report(true);
        return new AccountReport(s.account.name(), run.spam, run.ham, s.state.learned(LearnClass.SPAM) - run.spam,
                s.state.learned(LearnClass.HAM) - run.ham, s.huge + run.huge, run.unreadable, s.planSpam, s.planHam,
                complete, error);
    }

    /** Progress of one account's learning. */
    private final class Run {
        final Survey survey;
        final List<Candidate> plan;
        int nextSpam;
        int nextHam;
        int spam;
        int ham;
        int huge;
        int unreadable;
        boolean oneByOne;
        final java.util.Set<Candidate> finished = new java.util.HashSet<>();
        long lastReport = System.nanoTime();

        Run(Survey survey, List<Candidate> plan) {
            this.survey = survey;
            this.plan = plan;
            this.nextSpam = survey.planSpam;
            this.nextHam = survey.planHam;
        }

        /** A planned message was skipped: the next candidate of its class takes its place, at the end of the plan. */
        void replace(Candidate skipped) {
            List<Candidate> pool = survey.of(skipped.learnClass());
            int i = skipped.learnClass() == LearnClass.SPAM ? nextSpam++ : nextHam++;
            if (i < pool.size()) {
                plan.add(pool.get(i));
            }
        }

        boolean finished(Candidate c) {
            return finished.contains(c);
        }

        void report(boolean force) {
            if (!force && System.nanoTime() - lastReport < PROGRESS_EVERY.toNanos()) {
                return;
            }
            lastReport = System.nanoTime();
            progress.accept(survey.account.name(), String.format(Locale.ROOT, "%s: %d/%d (spam %d/%d, ham %d/%d), skipped %d unreadable, %d too big",
                    survey.account.name(), finished.size(), plan.size(), spam, survey.planSpam, ham, survey.planHam, unreadable,
                    survey.huge + huge));
        }
    }

    private void learnChunk(IMAPStore store, List<Candidate> chunk, Run run) throws MessagingException {
        Map<String, List<Candidate>> byFolder = new LinkedHashMap<>();
        for (Candidate c : chunk) {
            if (run.survey.state.done(c.folder(), c.uidValidity(), c.uid())) {
                run.finished.add(c); // another run did it since the survey
            } else if (!run.finished(c)) {
                byFolder.computeIfAbsent(c.folder(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<Candidate, byte[]> bytes = new HashMap<>();
        for (Map.Entry<String, List<Candidate>> e : byFolder.entrySet()) {
            read(store, e.getKey(), e.getValue(), bytes, run);
        }
        for (Candidate c : chunk) {
            if (stopped) {
                return;
            }
            if (run.finished(c)) {
                continue;
            }
            byte[] raw = bytes.get(c);
            if (raw == null) {
                unreadable(c, run, "the server did not give it");
            } else if (raw.length > bootstrap.maxSize()) {
                run.huge++;
                run.finished.add(c);
                run.replace(c);
            } else {
                learnOne(c, raw, run);
            }
            run.report(false);
        }
    }

    private void unreadable(Candidate c, Run run, String why) {
        log.warn("{}: cannot read UID {} in {} ({}); skipped", run.survey.account.name(), c.uid(), c.folder(), why);
        run.survey.state.unreadable(c.folder(), c.uidValidity(), c.uid());
        run.unreadable++;
        run.finished.add(c);
        run.replace(c);
    }

    /** The bytes of {@code cs}, one FETCH per batch; one by one after a failed batch or a lost connection. */
    private void read(IMAPStore store, String name, List<Candidate> cs, Map<Candidate, byte[]> out, Run run)
            throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(name);
        try {
            folder.open(Folder.READ_ONLY);
        } catch (jakarta.mail.FolderNotFoundException gone) {
            return; // deleted or renamed since the survey: its messages are skipped as unreadable
        }
        try {
            if (folder.getUIDValidity() != cs.get(0).uidValidity()) {
                return; // the folder was re-created since the survey: its UIDs mean other messages now; all unreadable
            }
            Map<Long, byte[]> byUid = new HashMap<>();
            boolean oneByOne = run.oneByOne;
            if (!oneByOne) {
                try {
                    RawBodies.fetch(folder, cs.stream().map(Candidate::uid).toList(), byUid);
                } catch (FolderClosedException | StoreClosedException lost) {
                    throw lost;
                } catch (MessagingException batchFailed) {
                    log.debug("{}: FETCH of {} messages in {} failed ({}); one by one", run.survey.account.name(), cs.size(),
                            name, batchFailed.getMessage());
                    oneByOne = true; // a NO for one message, or an answer the library cannot parse: the others on their own
                }
            }
            for (Candidate c : cs) {
                if (!byUid.containsKey(c.uid()) && oneByOne) {
                    try {
                        RawBodies.fetch(folder, List.of(c.uid()), byUid);
                    } catch (FolderClosedException | StoreClosedException lost) {
                        // the server drops the connection over this very message (e.g. a file it cannot open)
                        unreadable(c, run, "the server closed the connection");
                        throw lost;
                    } catch (MessagingException failed) {
                        log.debug("{}: UID {} in {}: {}", run.survey.account.name(), c.uid(), name, failed.getMessage());
                    }
                }
                byte[] raw = byUid.get(c.uid());
                if (raw != null) {
                    out.put(c, raw);
                }
            }
            run.oneByOne = false;
        } finally {
            if (folder.isOpen()) {
                folder.close(false);
            }
        }
    }

    private void learnOne(Candidate c, byte[] raw, Run run) {
        String user = settings.perUser() ? run.survey.account.learnUser() : null;
        LearnRequest request = new LearnRequest(c.learnClass(), user, true, "imap-bootstrap");
        LearnOutcome outcome = null;
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        for (int attempt = 1; outcome == null; attempt++) {
            try {
                outcome = learner.learn(raw, request);
            } catch (RuntimeException e) {
                if (attempt >= LEARN_ATTEMPTS || stopped) {
                    throw e; // the store is down: stop this account here, the next run goes on from this message
                }
                try {
                    Thread.sleep(backoff.next());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        log.debug("{}: {} UID {} in {}: {}", run.survey.account.name(), c.learnClass().label(), c.uid(), c.folder(),
                outcome.message());
        run.survey.state.learned(c.learnClass(), c.folder(), c.uidValidity(), c.uid());
        run.finished.add(c);
        if (c.learnClass() == LearnClass.SPAM) {
            run.spam++;
        } else {
            run.ham++;
        }
    }

    private IMAPStore connect(AccountSettings a) throws MessagingException {
        if (stopped) {
            throw new MessagingException("stopping");
        }
        IMAPStore store = sessions.connect(a);
        current = store;
        return store;
    }

    private static void close(IMAPStore store) {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException | RuntimeException ignored) {
                // dropping it anyway
            }
        }
    }

    private static String describe(Exception e) {
        Throwable c = e.getCause();
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (c != null && c != e ? " (" + c.getClass().getSimpleName() + ": " + c.getMessage() + ")" : "");
    }
}
