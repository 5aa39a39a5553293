package org.mailsift.scanner.bayes;

import org.mailsift.core.config.UclObject;

/**
 * Autolearn of ham from the site's own users' outgoing mail (classifier-bayes {@code outbound_ham}): what a user who
 * logged in (SASL, the milter's {@code {auth_authen}}, Rspamd's {@code User} header) sends is the best ham there is,
 * as long as its own scan finds nothing wrong with it; a hijacked account sending spam gets a spam score and is not
 * learned. Rspamd reaches the same through its score-based autolearn, where outgoing mail usually scores below the
 * ham threshold; mailsift keeps strangers' and users' mail apart, because the score thresholds that fit one do not fit
 * the other.
 *
 * @param enabled  {@code outbound_ham = true}
 * @param maxScore learn only below this score; null: only when the action is "no action" (below greylist)
 * @param local    also mail from a local client address (loopback, private networks) without a login, e.g. a
 *                 webmail that hands mail to the MTA on 127.0.0.1 (default false)
 */
public record OutboundHam(boolean enabled, Double maxScore, boolean local) {
    public static final OutboundHam OFF = new OutboundHam(false, null, false);

    public static OutboundHam from(UclObject bayes) {
        return new OutboundHam(bayes.getBoolean("outbound_ham", false),
                bayes.has("outbound_ham_max_score") ? bayes.getDouble("outbound_ham_max_score", 0) : null,
                bayes.getBoolean("outbound_ham_local", false));
    }
}
