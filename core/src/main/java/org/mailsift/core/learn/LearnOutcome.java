package org.mailsift.core.learn;

/**
 * What happened to a learn request.
 *
 * @param status    the outcome
 * @param messageId the id used in messages (Message-ID, or the content digest when there is none)
 * @param message   Rspamd's wording for the outcome, e.g. "&lt;id&gt; has been already learned as spam, ignore it"
 */
public record LearnOutcome(Status status, String messageId, String message) {

    public enum Status {
        /** Counted now. */
        LEARNED,
        /** It had been learned as the other class; unlearned from that one and learned into this one. */
        RELEARNED,
        /** Already learned with this class: nothing changed (Rspamd answers HTTP 208). */
        ALREADY_LEARNED,
        /** Too few tokens to learn (HTTP 204). */
        TOO_FEW_TOKENS,
        /** Refused by the probability guard: already classified into this class with high confidence (HTTP 204). */
        DENIED_PROBABILITY,
        /** The store is unavailable; the learn is in a durable queue and will be replayed. */
        QUEUED,
    }

    public boolean counted() {
        return status == Status.LEARNED || status == Status.RELEARNED;
    }
}
