package org.mailsift.sieve.engine.ext;

/** RFC 5429 {@code ereject <reason>}: refuse at the protocol level (the MTA bounces with the reason). */
public class ERejectCommand extends RejectCommand {
    @Override
    boolean extended() {
        return true;
    }
}
