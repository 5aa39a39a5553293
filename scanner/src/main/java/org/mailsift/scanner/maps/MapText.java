package org.mailsift.scanner.maps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.mailsift.core.io.Zstd;

/**
 * A map's bytes as text: UTF-8, or zstd-compressed UTF-8 (Rspamd's map server publishes {@code .zst} maps, such as
 * the URL and greylist whitelists its stock files name), recognised by the frame's magic whatever the name.
 */
public final class MapText {
    private MapText() {
    }

    /** The text of {@code bytes}; a zstd map may not unpack to more than {@code maxSize} bytes. */
    public static String decode(byte[] bytes, long maxSize) throws IOException {
        if (!Zstd.startsWithMagic(bytes)) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return new String(Zstd.decompress(bytes, maxSize), StandardCharsets.UTF_8);
        } catch (Zstd.TooLargeException e) {
            throw new IOException("zstd map unpacks to more than max_map_size (" + maxSize + " bytes)");
        } catch (IOException e) {
            throw new IOException("damaged zstd map: " + e.getMessage(), e);
        }
    }
}
