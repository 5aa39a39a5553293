package org.mailsift.core.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongPredicate;

import io.airlift.compress.zstd.ZstdInputStream;

/**
 * zstd frames as Rspamd's peers send them: request bodies (rspamc -z) and maps (Rspamd's own map server publishes
 * {@code .zst} files). One streamed decompression with a cap, so a small bomb cannot blow the heap.
 */
public final class Zstd {
    private static final byte[] MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};

    /** The output is larger than the caller allows. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long maxBytes) {
            super("decompressed data is larger than " + maxBytes + " bytes");
        }
    }

    /** The caller refused to hold more (its in-flight budget). */
    public static final class RefusedException extends IOException {
        public RefusedException() {
            super("decompressed data refused by the caller's budget");
        }
    }

    private Zstd() {
    }

    /** Whether the bytes start with a zstd frame's magic number. */
    public static boolean startsWithMagic(byte[] data) {
        if (data.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static byte[] decompress(byte[] data, long maxBytes) throws IOException {
        return decompress(data, maxBytes, n -> true);
    }

    /**
     * Decompresses {@code data}. The output grows with the data (no guess from the compressed size), at most
     * {@code maxBytes}; every chunk is offered to {@code grow} first (bytes about to be held: the buffer and the final
     * copy), which may refuse.
     *
     * @throws TooLargeException over {@code maxBytes}
     * @throws RefusedException {@code grow} said no
     * @throws IOException not zstd, or damaged
     */
    public static byte[] decompress(byte[] data, long maxBytes, LongPredicate grow) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw new TooLargeException(maxBytes);
                }
                if (!grow.test(2L * n)) {
                    throw new RefusedException();
                }
                out.write(buf, 0, n);
            }
        } catch (RuntimeException e) { // the decompressor reports damaged input unchecked
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
