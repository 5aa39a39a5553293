package org.mailsift.controller.protocol;

import java.io.IOException;

import org.mailsift.controller.api.ApiException;
import org.mailsift.controller.api.BodyBudget;
import org.mailsift.controller.api.RequestHeaders;
import org.mailsift.core.io.Zstd;

/**
 * Undoes the body compression Rspamd clients use: {@code Compression: zstd} / {@code Content-Encoding: zstd}
 * (rspamc -z, and by default since 3.5), or a body that starts with the zstd magic (rspamc sends pre-compressed
 * input as is). Decompression is streamed with a cap so a small bomb cannot blow the heap.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    public static byte[] decode(RequestHeaders headers, byte[] body, long maxBytes) {
        return decode(headers, body, maxBytes, BodyBudget.UNLIMITED);
    }

    /** As above, drawing the decompressed bytes from {@code budget} (503 when the worker holds too much already). */
    public static byte[] decode(RequestHeaders headers, byte[] body, long maxBytes, BodyBudget budget) {
        String compression = headers.first("Compression");
        String encoding = headers.first("Content-Encoding");
        boolean zstd = "zstd".equalsIgnoreCase(compression) || "zstd".equalsIgnoreCase(encoding) || startsWithMagic(body);
        if (compression != null && !"zstd".equalsIgnoreCase(compression)) {
            throw new ApiException(400, "Invalid compression method: " + compression);
        }
        if (headers.has("Dictionary")) {
            throw new ApiException(400, "zstd dictionaries are not supported");
        }
        if (!zstd || body.length == 0) {
            return body;
        }
        return unzstd(body, maxBytes, budget);
    }

    static boolean startsWithMagic(byte[] body) {
        return Zstd.startsWithMagic(body);
    }

    /**
     * Every chunk is drawn from the worker's in-flight budget first (the buffer and the copy handed to the endpoint),
     * so what the budget counts is what the heap holds.
     */
    private static byte[] unzstd(byte[] body, long maxBytes, BodyBudget budget) {
        try {
            return Zstd.decompress(body, maxBytes, budget::tryGrow);
        } catch (Zstd.TooLargeException e) {
            throw new ApiException(413, "Decompressed body is larger than " + maxBytes + " bytes");
        } catch (Zstd.RefusedException e) {
            throw new ApiException(503, "Too many request bytes in flight; try again later");
        } catch (IOException e) {
            throw new ApiException(400, "Cannot decompress zstd body: " + e.getMessage());
        }
    }
}
