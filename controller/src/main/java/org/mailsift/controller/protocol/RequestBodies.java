package org.mailsift.controller.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import io.airlift.compress.zstd.ZstdInputStream;

import org.mailsift.controller.api.ApiException;
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
        return unzstd(body, maxBytes);
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

    private static byte[] unzstd(byte[] body, long maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(4096, body.length * 4));
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(body))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    throw new ApiException(413, "Decompressed body is larger than " + maxBytes + " bytes");
                }
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
