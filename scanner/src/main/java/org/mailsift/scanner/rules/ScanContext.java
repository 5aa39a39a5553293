package org.mailsift.scanner.rules;

import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;

/** What a rule sees and how it reports. One per scan; not shared between threads. */
public interface ScanContext {
    ParsedMessage message();

    Envelope envelope();

    /** Inserts {@code symbol} with a runtime score (final score = weight × runtimeScore) and options. */
    void insert(String symbol, double runtimeScore, List<String> options);

    default void insert(String symbol, String... options) {
        insert(symbol, 1.0, List.of(options));
    }

    /**
     * Adds a header edit of this module to the verdict (e.g. Authentication-Results from an authentication check).
     * The engine places rules' edits after its own verdict headers, in rule order; see HeaderChange for the meaning.
     */
    void addHeaderChange(org.mailsift.core.scan.HeaderChange change);

    /** Forces the action (a pre-result, e.g. GTUBE → reject) with an SMTP message, as Rspamd's passthrough. */
    void forceAction(Action action, String smtpMessage);

    /** Whether the client IP is in options.inc local_addrs. */
    default boolean isLocal() {
        return isLocalOrAuthenticated() && !envelope().isAuthenticated();
    }

    /** Whether the sender is local (client IP in options.inc local_addrs) or authenticated. */
    boolean isLocalOrAuthenticated();

    /**
     * Attaches the Bayes classifier's details (full-precision probability, token count, or why it stayed silent)
     * for {@link org.mailsift.core.scan.ScanResult#bayes()}; contexts that do not report them ignore it.
     */
    default void bayes(org.mailsift.core.scan.ScanResult.BayesInfo info) {
    }

    /**
     * This message's DNS: the daemon's resolver bounded by the message's budget ({@code options.inc dns { budget }}).
     * Lookups answer {@code UNAVAILABLE} at once when the engine has no resolver (CLI tools, unit tests).
     */
    default org.mailsift.core.dns.DnsLookups dns() {
        return org.mailsift.core.dns.DnsLookups.none();
    }
}
