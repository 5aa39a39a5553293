package org.mailsift.controller.api;

/** One command ("checkv2", "learnspam"): a function from request to reply. May block; it runs off the event loop. */
@FunctionalInterface
public interface Endpoint {
    ApiResponse handle(ApiRequest request) throws Exception;
}
