package org.mailsift.controller.api;

/** A client error an endpoint reports; the router turns it into {@link ApiResponse#error}. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
