package org.mailsift.scanner.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The record framing of the embedded stores' append-only files: {@code [int length][int crc32c][payload]}. A reader
 * stops at the first record that is incomplete or does not match its checksum (a write cut by a crash, which by
 * construction was never acknowledged); a writer that fails truncates what it wrote, so no half record is followed.
 */
final class CrcRecords {
    private CrcRecords() {
    }

    /** A buffer for one record of {@code payloadLength} bytes, positioned where the payload goes. */
    static ByteBuffer frame(int payloadLength) {
        return ByteBuffer.allocate(8 + payloadLength).position(8);
    }

    /** Seals a record filled by the caller (length and checksum) and appends it; returns the position after it. */
    static long append(FileChannel ch, ByteBuffer record) throws IOException {
        int len = record.capacity() - 8;
        record.putInt(0, len).putInt(4, crc(record.duplicate().position(8).limit(8 + len)));
        record.position(0).limit(8 + len);
        long start = ch.position();
        try {
            while (record.hasRemaining()) {
                ch.write(record);
            }
        } catch (IOException e) {
            ch.truncate(start); // never leave a half record that a later one would follow
            throw e;
        }
        return ch.position();
    }

    /**
     * Hands each complete, intact record's payload (of {@code minLength..maxLength} bytes) to {@code payload}, in
     * order; returns the position where the good part of the file ends.
     */
    static long readAll(FileChannel ch, int minLength, int maxLength, Consumer<ByteBuffer> payload) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        long pos = 0;
        long size = ch.size();
        while (pos + 8 <= size) {
            head.clear();
            ch.read(head, pos);
            head.flip();
            int len = head.getInt();
            int crc = head.getInt();
            if (len < minLength || len > maxLength || pos + 8 + len > size) {
                break;
            }
            ByteBuffer p = ByteBuffer.allocate(len);
            ch.read(p, pos + 8);
            p.flip();
            if (crc(p) != crc) {
                break;
            }
            payload.accept(p);
            pos += 8 + len;
        }
        return pos;
    }

    private static int crc(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }
}
