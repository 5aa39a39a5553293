package org.mailsift.controller.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import io.airlift.compress.zstd.ZstdInputStream;

import org.mailsift.controller.api.ApiException;
import org.mailsift.controller.api.BodyBudget;
import org.mailsift.controller.api.RequestHeaders;

/**
 * Undoes the body compression Rspamd clients use: {@code Compression: zstd} / {@code Content-Encoding: zstd}
 * (rspamc -z, and by default since 3.5), or a body that starts with the zstd magic (rspamc sends pre-compressed
 * input as is). Decompression is streamed with a cap so a small bomb cannot blow the heap.
 */
public final class RequestBodies {
    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};

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
        if (body.length < 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (body[i] != ZSTD_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The output grows with the data (no guess from the compressed size: a 49 MB body once pre-allocated 196 MB before
     * a byte was decompressed), and every chunk is drawn from the worker's in-flight budget first. The final copy
     * (toByteArray) is drawn too, so what the budget counts is what the heap holds.
     */
    private static byte[] unzstd(byte[] body, long maxBytes, BodyBudget budget) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(body))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw new ApiException(413, "Decompressed body is larger than " + maxBytes + " bytes");
                }
                if (!budget.tryGrow(2L * n)) { // the buffer, and the copy handed to the endpoint
                    throw new ApiException(503, "Too many request bytes in flight; try again later");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            throw new ApiException(400, "Cannot decompress zstd body: " + e.getMessage());
        }
        return out.toByteArray();
    }
}
