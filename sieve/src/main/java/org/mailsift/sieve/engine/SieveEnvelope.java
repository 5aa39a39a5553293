package org.mailsift.sieve.engine;

/**
 * The SMTP envelope Sieve's envelope test reads.
 *
 * @param from     MAIL FROM without brackets ("" for the null sender), or null when unknown
 * @param to       the recipient being delivered to (the final mailbox address)
 * @param authUser SASL user of the submitting client, or null
 */
public record SieveEnvelope(String from, String to, String authUser) {
}
