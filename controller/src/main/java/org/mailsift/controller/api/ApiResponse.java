package org.mailsift.controller.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One reply. Errors follow Rspamd's controller: the status's reason phrase is the message and the body is
 * {@code {"error":"<message>"}} (rspamc prints "HTTP error: CODE, REASON" for non-2xx).
 *
 * @param status      HTTP status code
 * @param reason      reason phrase
 * @param contentType content type, or null with no body
 * @param body        body bytes (empty for none)
 * @param headers     extra response headers (ETag, Cache-Control, Content-Security-Policy...)
 */
public record ApiResponse(int status, String reason, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, String reason, String contentType, byte[] body) {
        this(status, reason, contentType, body, Map.of());
    }

    /** This reply with one more header (replacing one of the same name). */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, reason, contentType, body, h);
    }

    public static ApiResponse json(String json) {
        return new ApiResponse(200, "OK", JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse json(int status, String reason, String json) {
        return new ApiResponse(status, reasonPhrase(reason), JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse text(String text) {
        return new ApiResponse(200, "OK", "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse success() {
        return json("{\"success\":true}");
    }

    public static ApiResponse error(int status, String message) {
        return json(status, message, "{\"error\":\"" + quote(message) + "\"}");
    }

    /** A reply with no body (204): the message travels in the reason phrase only, as Rspamd's does. */
    public static ApiResponse noContent(String message) {
        return new ApiResponse(204, reasonPhrase(message), null, new byte[0]);
    }

    static String quote(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s));
    }

    /** A reason phrase must be one line of visible ASCII; long messages are cut. */
    static String reasonPhrase(String message) {
        StringBuilder sb = new StringBuilder();
        for (char c : (message == null ? "" : message).toCharArray()) {
            if (sb.length() >= 200) {
                break;
            }
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString().isBlank() ? "Error" : sb.toString();
    }
}
