package org.mailsift.sieve.deliver;

import java.nio.file.Path;
import java.util.List;

/**
 * What a delivery did.
 *
 * @param status        the outcome
 * @param stored        files written, one per mailbox
 * @param rejectReason  the reject/ereject text (REJECTED only)
 * @param scriptErrors  script errors met (the message then went to INBOX), each naming the script and line
 */
public record DeliveryResult(Status status, List<Path> stored, String rejectReason, List<String> scriptErrors) {
    public enum Status { DELIVERED, DISCARDED, REJECTED, NO_USER }

    public DeliveryResult {
        stored = List.copyOf(stored);
        scriptErrors = List.copyOf(scriptErrors);
    }

    static DeliveryResult noUser() {
        return new DeliveryResult(Status.NO_USER, List.of(), null, List.of());
    }
}
