package org.mailsift.sieve.deliver;

import java.nio.file.Path;

/**
 * One {@code mailsift deliver} call.
 *
 * @param user           -d USER
 * @param mailbox        -m MAILBOX: where keep stores (default INBOX), or null
 * @param sender         -f SENDER: envelope sender ("" for the null sender), or null when unknown
 * @param maildir        --maildir PATH overriding deliver.conf, or null
 * @param sieve          --sieve FILE overriding deliver.conf, or null
 * @param message        the message bytes from stdin
 */
public record DeliveryRequest(String user, String mailbox, String sender, Path maildir, Path sieve, byte[] message) {
}
