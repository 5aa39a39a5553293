package org.mailsift.core.learn;

/** A learn that could neither be stored nor queued. */
public class LearnException extends RuntimeException {
    public LearnException(String message, Throwable cause) {
        super(message, cause);
    }
}
