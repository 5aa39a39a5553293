package org.mailsift.controller.api;

/** Where a request's memory is accounted: decompressing a body takes its output from the worker's in-flight budget. */
@FunctionalInterface
public interface BodyBudget {
    BodyBudget UNLIMITED = bytes -> true;

    /** Takes {@code bytes} more for this request; false when the worker holds too many request bytes already. */
    boolean tryGrow(long bytes);
}
