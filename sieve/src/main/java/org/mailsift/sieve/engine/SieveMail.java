package org.mailsift.sieve.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.InternetAddressException;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.ActionKeep;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.mail.optional.EnvelopeAccessors;

/**
 * jSieve's view of one message during one script run. It only collects decisions (jSieve's
 * "decide, then act"): {@link #executeActions()} does nothing, and the delivery code reads {@link #getActions()}
 * afterwards. It also holds the run's state that our extensions need: variables, the match variables of the last
 * successful :matches/:regex, the imap4flags internal variable, the required capabilities and whether the script
 * ran {@code stop}. Not thread-safe: one instance per script run.
 */
public final class SieveMail implements MailAdapter, EnvelopeAccessors {
    private final MailMessage message;
    private final SieveEnvelope envelope;
    private final SpamScore spamScore;
    private final Predicate<String> mailboxExists;
    private final Map<String, String> specialUse;
    private final List<Action> actions = new ArrayList<>();
    private final Map<String, String> variables = new HashMap<>();
    private final Set<String> required = new HashSet<>();
    private final Set<String> flags = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private List<String> matchValues = List.of();
    private boolean stopped;
    private SieveContext context;

    /**
     * @param spamScore     the scan score for spamtest, or null when the message was not scanned
     * @param mailboxExists tells whether a mailbox exists (mailboxexists, fileinto without :create)
     * @param specialUse    special-use attribute ("\\Junk") -&gt; mailbox name, as the mail store defines it
     */
    public SieveMail(MailMessage message, SieveEnvelope envelope, SpamScore spamScore, Predicate<String> mailboxExists,
                     Map<String, String> specialUse) {
        this.message = message;
        this.envelope = envelope;
        this.spamScore = spamScore;
        this.mailboxExists = mailboxExists;
        Map<String, String> su = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        su.putAll(specialUse);
        this.specialUse = su;
    }

    public MailMessage message() {
        return message;
    }

    public SieveEnvelope envelope() {
        return envelope;
    }

    public Optional<SpamScore> spamScore() {
        return Optional.ofNullable(spamScore);
    }

    public boolean mailboxExists(String mailbox) {
        return mailboxExists.test(mailbox);
    }

    public Optional<String> mailboxForSpecialUse(String attribute) {
        return Optional.ofNullable(specialUse.get(attribute));
    }

    // ---- run state used by the extensions

    public void required(String capability) {
        required.add(capability.toLowerCase(Locale.ROOT));
    }

    public boolean isRequired(String capability) {
        return required.contains(capability.toLowerCase(Locale.ROOT));
    }

    public void setVariable(String name, String value) {
        variables.put(name.toLowerCase(Locale.ROOT), value);
    }

    public void setMatchValues(List<String> values) {
        matchValues = List.copyOf(values);
    }

    /** Replaces ${name} and ${N} when the script required "variables"; unknown names expand to "" (RFC 5229). */
    public String expand(String s) {
        if (!isRequired("variables") || s.indexOf("${") < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf("${", i);
            int end = start < 0 ? -1 : s.indexOf('}', start + 2);
            if (start < 0 || end < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, start);
            String name = s.substring(start + 2, end);
            if (name.matches("[0-9]+")) {
                int n = Integer.parseInt(name);
                out.append(n < matchValues.size() ? matchValues.get(n) : "");
            } else if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                out.append(variables.getOrDefault(name.toLowerCase(Locale.ROOT), ""));
            } else {
                out.append(s, start, end + 1); // not a variable reference: literal
            }
            i = end + 1;
        }
        return out.toString();
    }

    public List<String> expandAll(List<String> list) {
        List<String> out = new ArrayList<>(list.size());
        list.forEach(s -> out.add(expand(s)));
        return out;
    }

    /** The imap4flags internal variable. */
    public Set<String> flags() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(flags));
    }

    public void setFlags(Set<String> newFlags) {
        flags.clear();
        flags.addAll(newFlags);
    }

    public void markStopped() {
        stopped = true;
    }

    /** Whether the script ended with {@code stop} (a "before" script that stops skips the user's script). */
    public boolean stopped() {
        return stopped;
    }

    public SieveContext context() {
        return context;
    }

    // ---- MailAdapter

    @Override
    public void setContext(SieveContext context) {
        this.context = context;
    }

    @Override
    public List<Action> getActions() {
        return Collections.unmodifiableList(actions);
    }

    @Override
    public void addAction(Action action) {
        // jSieve adds a plain ActionKeep for the implicit keep; it keeps with the current flags (RFC 5232 section 5)
        actions.add(action instanceof ActionKeep ? new SieveActions.Store(null, flags(), false, null) : action);
    }

    @Override
    public void executeActions() {
        // decide, then act: the delivery executes the collected actions after the run
    }

    @Override
    public List<String> getHeader(String name) {
        return message.header(name);
    }

    @Override
    public List<String> getMatchingHeader(String name) {
        return message.header(name.trim());
    }

    @Override
    public List<String> getHeaderNames() {
        return message.headerNames();
    }

    @Override
    public int getSize() {
        return message.size();
    }

    @Override
    public String getContentType() {
        return message.contentType();
    }

    @Override
    public boolean isInBodyText(List<String> phrasesCaseInsensitive) {
        return containsAny(message.text(List.of("text")), phrasesCaseInsensitive);
    }

    @Override
    public boolean isInBodyRaw(List<String> phrasesCaseInsensitive) {
        return containsAny(new String(message.body(), java.nio.charset.StandardCharsets.ISO_8859_1), phrasesCaseInsensitive);
    }

    @Override
    public boolean isInBodyContent(List<String> contentTypes, List<String> phrasesCaseInsensitive) {
        return containsAny(message.text(contentTypes), phrasesCaseInsensitive);
    }

    private static boolean containsAny(String text, List<String> phrases) {
        String lower = text.toLowerCase(Locale.ROOT);
        return phrases.stream().anyMatch(p -> lower.contains(p.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Address[] parseAddresses(String headerName) throws InternetAddressException {
        List<Address> out = new ArrayList<>();
        for (String value : message.header(headerName)) {
            for (String a : AddressParser.addresses(value)) {
                int at = a.lastIndexOf('@');
                String local = at < 0 ? a : a.substring(0, at);
                String domain = at < 0 ? "" : a.substring(at + 1);
                out.add(new org.apache.jsieve.mail.AddressImpl(local, domain));
            }
        }
        return out.toArray(new Address[0]);
    }

    // ---- EnvelopeAccessors

    @Override
    public List<String> getEnvelope(String name) {
        return getMatchingEnvelope(name);
    }

    @Override
    public List<String> getEnvelopeNames() {
        return List.of("from", "to", "auth");
    }

    @Override
    public List<String> getMatchingEnvelope(String name) {
        String v = switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "from" -> envelope.from();
            case "to" -> envelope.to();
            case "auth" -> envelope.authUser();
            default -> null;
        };
        return v == null ? List.of() : List.of(v);
    }
}
