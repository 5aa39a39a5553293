package org.mailsift.sieve.deliver;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.ActionDiscard;
import org.apache.jsieve.mail.optional.ActionVacation;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.sieve.ShippedScripts;
import org.mailsift.sieve.engine.CompiledScript;
import org.mailsift.sieve.engine.MailMessage;
import org.mailsift.sieve.engine.SieveActions;
import org.mailsift.sieve.engine.SieveEngine;
import org.mailsift.sieve.engine.SieveEnvelope;
import org.mailsift.sieve.engine.SieveMail;
import org.mailsift.sieve.engine.SieveRun;
import org.mailsift.sieve.engine.SieveScriptException;
import org.mailsift.sieve.engine.SpamScore;
import org.mailsift.sieve.maildir.MailboxNames;
import org.mailsift.sieve.maildir.Maildir;
import org.mailsift.sieve.maildir.MaildirFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local delivery with Sieve, the work behind {@code mailsift deliver}: find the user's Maildir, scan the message
 * (unless a valid verdict seal shows our milter on this host already did), run the "before" script
 * (spam-to-junk.sieve by default) and the user's script with jSieve, then act: redirect through sendmail, store
 * into Maildir++ (atomically, see {@link Maildir}), send vacation replies.
 *
 * <p>Failure policy: a script that does not compile or fails at run time is logged with its file and line and the
 * message goes to INBOX (the implicit keep). I/O errors (disk full, sendmail down) are thrown so the caller exits
 * with EX_TEMPFAIL and the MTA retries; redirects run before the stores so a retry does not store twice.
 */
public final class LocalDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);

    private final DeliverSettings settings;
    private final SieveEngine engine;
    private final MessageScanner scanner;
    private final VerdictSeal seal;
    private final Path passwdFile;

    /**
     * @param scanner    scans messages without a valid seal; null to deliver unscanned (verdict headers then
     *                   are whatever the message carries -- only for sites whose MTA milter already scanned)
     * @param seal       verifies our milter's verdict seal, or null to always scan
     * @param passwdFile the account database for plain user names (/etc/passwd)
     */
    public LocalDelivery(DeliverSettings settings, SieveEngine engine, MessageScanner scanner, VerdictSeal seal, Path passwdFile) {
        this.settings = settings;
        this.engine = engine;
        this.scanner = scanner;
        this.seal = seal;
        this.passwdFile = passwdFile;
    }

    public DeliveryResult deliver(DeliveryRequest request) throws IOException {
        DeliverSettings s = request.maildir() != null ? settings.withMaildir(request.maildir().toString()) : settings;
        UserPaths paths = UserPaths.resolve(request.user(), s, request.maildir() != null, passwdFile);
        if (!paths.known()) {
            return DeliveryResult.noUser();
        }
        MailMessage message = MailMessage.parse(request.message());
        SpamScore spamScore = null;
        VerdictSeal.Check sealed = seal == null ? null : seal.verify(message.raw(), Instant.now());
        if (sealed != null && sealed.trusted()) {
            LOG.debug("verdict seal verified: trusting the verdict headers of our milter, not scanning");
            spamScore = message.firstHeader("X-Spamd-Result").flatMap(SpamScore::fromSpamdResult).orElse(null);
        } else if (scanner != null && settings.scan()) {
            LOG.debug("scanning the message (verdict seal: {})", sealed == null ? "no key" : sealed);
            ScanResult result = scanner.scan(message.raw(), envelope(request));
            // the verdict's header edits, as our milter would have them applied (reject verdicts too: filed into Junk)
            message = message.withHeaderChanges(result.headerChanges());
            spamScore = new SpamScore(result.score(), result.requiredScore());
        }

        Maildir maildir = new Maildir(paths.maildir());
        List<String> errors = new ArrayList<>();
        List<Action> actions = runScripts(message, request, paths, maildir, spamScore, errors);

        List<SieveActions.Reject> rejects = actions.stream().filter(a -> a instanceof SieveActions.Reject).map(a -> (SieveActions.Reject) a).toList();
        if (!rejects.isEmpty()) {
            return new DeliveryResult(DeliveryResult.Status.REJECTED, List.of(), rejects.get(0).reason(), errors);
        }
        Sendmail sendmail = new Sendmail(s.sendmail());
        for (Action a : actions) {
            if (a instanceof SieveActions.Redirect r) {
                sendmail.send(request.sender() == null ? "" : request.sender(), r.address(), message.raw());
                LOG.info("redirected message for {} to {}", request.user(), r.address());
            }
        }
        List<Path> stored = store(maildir, message, actions, request);
        for (Action a : actions) {
            if (a instanceof ActionVacation v) {
                vacation(v, message, request, s);
            }
        }
        boolean discarded = stored.isEmpty() && actions.stream().noneMatch(a -> a instanceof SieveActions.Redirect);
        return new DeliveryResult(discarded ? DeliveryResult.Status.DISCARDED : DeliveryResult.Status.DELIVERED, stored, null, errors);
    }

    private static Envelope envelope(DeliveryRequest r) {
        Envelope.Builder b = Envelope.builder().mailFrom(r.sender()).deliverTo(r.user());
        b.addRcpt(r.user());
        return b.build();
    }

    private List<Action> runScripts(MailMessage message, DeliveryRequest request, UserPaths paths, Maildir maildir,
                                    SpamScore spamScore, List<String> errors) {
        List<CompiledScript> scripts = new ArrayList<>();
        try {
            compileBefore().ifPresent(scripts::add);
            Path userScript = request.sieve() != null ? request.sieve() : paths.userScript();
            if (userScript != null && Files.isRegularFile(userScript)) {
                scripts.add(engine.compile(userScript));
            }
        } catch (SieveScriptException | IOException e) {
            return failed(e.getMessage(), errors);
        }
        SieveEnvelope envelope = new SieveEnvelope(request.sender(), address(request.user()), null);
        List<Action> all = new ArrayList<>();
        SieveRun last = null;
        for (CompiledScript script : scripts) {
            SieveMail mail = new SieveMail(message, envelope, spamScore, maildir::exists, settings.specialUse());
            try {
                last = engine.run(script, mail);
            } catch (SieveScriptException e) {
                return failed(e.getMessage(), errors);
            }
            all.addAll(last.actions());
            if (last.stopped()) {
                break;
            }
        }
        if (last == null || last.implicitKeep()) {
            all.add(new SieveActions.Store(null, last == null ? Set.of() : last.keepFlags(), false, null));
        }
        return all;
    }

    private static List<Action> failed(String error, List<String> errors) {
        LOG.warn("sieve: {}; delivering to INBOX instead", error);
        errors.add(error);
        return List.of(new SieveActions.Store("INBOX", Set.of(), false, null));
    }

    private java.util.Optional<CompiledScript> compileBefore() throws SieveScriptException, IOException {
        String before = settings.sieveBefore();
        if (before == null || before.isBlank()) {
            return java.util.Optional.empty();
        }
        if (before.equals(DeliverSettings.BUILTIN_BEFORE)) {
            return java.util.Optional.of(engine.compile(ShippedScripts.displayName(ShippedScripts.SPAM_TO_JUNK),
                    ShippedScripts.read(ShippedScripts.SPAM_TO_JUNK)));
        }
        return java.util.Optional.of(engine.compile(Path.of(before)));
    }

    /** One copy per mailbox (flags merged); a mailbox that is missing and not :create'd falls back to INBOX. */
    private List<Path> store(Maildir maildir, MailMessage message, List<Action> actions, DeliveryRequest request) throws IOException {
        Map<String, Set<String>> targets = new LinkedHashMap<>();
        for (Action a : actions) {
            if (!(a instanceof SieveActions.Store st)) {
                continue;
            }
            String mailbox = target(maildir, st, request);
            targets.computeIfAbsent(mailbox, k -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER)).addAll(st.flags());
        }
        if (actions.stream().anyMatch(a -> a instanceof ActionDiscard) && targets.isEmpty()) {
            LOG.info("sieve discarded the message for {}", request.user());
        }
        List<Path> stored = new ArrayList<>();
        for (Map.Entry<String, Set<String>> t : targets.entrySet()) {
            List<String> ignored = new ArrayList<>();
            Set<MaildirFlag> flags = MaildirFlag.fromImapNames(t.getValue(), ignored);
            if (!ignored.isEmpty()) {
                LOG.info("flags {} cannot be stored in Maildir file names and were dropped", ignored);
            }
            Path file = maildir.deliver(t.getKey(), message.raw(), flags);
            LOG.info("delivered to {} mailbox {}: {}", request.user(), t.getKey(), file.getFileName());
            stored.add(file);
        }
        return stored;
    }

    private String target(Maildir maildir, SieveActions.Store st, DeliveryRequest request) throws IOException {
        if (!maildir.exists("INBOX")) {
            maildir.create("INBOX");
        }
        if (st.isKeep()) {
            String keep = request.mailbox() == null ? "INBOX" : request.mailbox();
            return usable(maildir, keep) && maildir.exists(keep) ? keep : "INBOX";
        }
        String mailbox = st.mailbox();
        if (st.specialUse() != null) {
            String su = settings.specialUse().get(st.specialUse());
            if (su != null && usable(maildir, su) && maildir.exists(su)) {
                return su;
            }
        }
        if (!usable(maildir, mailbox)) {
            LOG.warn("sieve: invalid mailbox name \"{}\" for {}; delivering to INBOX", mailbox, request.user());
            return "INBOX";
        }
        if (!maildir.exists(mailbox)) {
            if (!st.create()) {
                LOG.warn("sieve: mailbox \"{}\" does not exist for {} (no :create); delivering to INBOX", mailbox, request.user());
                return "INBOX";
            }
            try {
                maildir.create(mailbox);
            } catch (FileSystemException e) {
                if (!nameTooLong(e)) {
                    throw e; // disk full, permissions: the MTA retries
                }
                // a retry would fail the same way forever: the name is the problem, not the system
                LOG.warn("sieve: mailbox name \"{}\" is too long for the file system for {}; delivering to INBOX", mailbox, request.user());
                return "INBOX";
            }
        }
        return mailbox;
    }

    /** ENAMETOOLONG, which the JDK reports only as the reason text of a FileSystemException. */
    private static boolean nameTooLong(FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("File name too long");
    }

    private static boolean usable(Maildir maildir, String mailbox) {
        try {
            MailboxNames.directoryName(mailbox.equalsIgnoreCase("INBOX") ? "INBOX" : mailbox);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void vacation(ActionVacation v, MailMessage message, DeliveryRequest request, DeliverSettings s) {
        String user = address(request.user());
        List<String> addresses = new ArrayList<>(v.getAddresses());
        addresses.add(user);
        var refusal = VacationResponder.refusal(message, request.sender(), addresses);
        if (refusal.isPresent()) {
            LOG.info("vacation: no reply to {} for {}: {}", request.sender(), request.user(), refusal.get());
            return;
        }
        try {
            VacationMemory memory = new VacationMemory(s.vacationDir());
            if (!memory.claim(request.user(), VacationResponder.handle(v), request.sender(), VacationResponder.period(v),
                    VacationResponder.now())) {
                LOG.info("vacation: {} was already answered for {} within {} days", request.sender(), request.user(), v.getDuration());
                return;
            }
            new Sendmail(s.sendmail()).send("", request.sender(), VacationResponder.reply(v, message, user, request.sender()));
            LOG.info("vacation: replied to {} for {}", request.sender(), request.user());
        } catch (IOException e) {
            // an auto-reply is not worth a retry of the whole delivery (which would store the message twice)
            LOG.warn("vacation: reply to {} for {} failed: {}", request.sender(), request.user(), e.getMessage());
        }
    }

    private String address(String user) {
        if (user.contains("@")) {
            return user;
        }
        String domain = settings.domain();
        if (domain == null) {
            try {
                domain = java.net.InetAddress.getLocalHost().getCanonicalHostName();
            } catch (IOException e) {
                domain = "localhost";
            }
        }
        return user + "@" + domain;
    }
}
