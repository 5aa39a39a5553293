package org.mailsift.scanner.store.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.BayesExportFormat;

/**
 * Binary snapshot of {@link BayesTables}: a header with the journal generation it supersedes, then the same records
 * as the export format, then an end marker. Written to a temporary file, forced, and atomically renamed, so a reader
 * only ever sees a complete snapshot.
 */
final class Snapshot {
    private static final int MAGIC = 0x4D534253; // "MSBS"
    private static final int VERSION = 1;
    private static final byte LEARNS = 1, TOKEN = 2, LEARNED = 3, END = 0;

    private Snapshot() {
    }

    /** Writes {@code tables} as generation {@code generation} and makes it the current snapshot. */
    static void write(Path target, long generation, BayesTables tables) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream fos = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(generation);
            tables.export(new BinaryWriter(out));
            out.writeByte(END);
            out.flush();
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Loads the snapshot into {@code tables}; returns its generation, or 0 when there is none. */
    static long read(Path source, BayesTables tables) throws IOException {
        if (!Files.exists(source)) {
            return 0;
        }
        try (InputStream fis = Files.newInputStream(source);
             DataInputStream in = new DataInputStream(new BufferedInputStream(fis, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(source + " is not a mailsift Bayes snapshot");
            }
            long generation = in.readLong();
            BayesExportFormat.Visitor v = tables.importer();
            while (true) {
                byte type = in.readByte();
                switch (type) {
                    case END -> {
                        return generation;
                    }
                    case LEARNS -> v.learns(readUser(in), in.readLong(), in.readLong());
                    case TOKEN -> v.token(readUser(in), in.readLong(), in.readLong(), in.readLong());
                    case LEARNED -> v.learned(readUser(in), in.readUTF(), in.readByte() == 1 ? LearnClass.SPAM : LearnClass.HAM);
                    default -> throw new IOException(source + ": corrupt snapshot (record type " + type + ")");
                }
            }
        } catch (EOFException e) {
            throw new IOException(source + ": truncated snapshot", e);
        }
    }

    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open directories; the rename is still atomic there
        }
    }

    private static String readUser(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private record BinaryWriter(DataOutputStream out) implements BayesExportFormat.Visitor {
        @Override
        public void learns(String user, long spam, long ham) {
            io(() -> {
                out.writeByte(LEARNS);
                writeUser(user);
                out.writeLong(spam);
                out.writeLong(ham);
            });
        }

        @Override
        public void token(String user, long token, long spam, long ham) {
            io(() -> {
                out.writeByte(TOKEN);
                writeUser(user);
                out.writeLong(token);
                out.writeLong(spam);
                out.writeLong(ham);
            });
        }

        @Override
        public void learned(String user, String digest, LearnClass c) {
            io(() -> {
                out.writeByte(LEARNED);
                writeUser(user);
                out.writeUTF(digest);
                out.writeByte(c == LearnClass.SPAM ? 1 : 0);
            });
        }

        private void writeUser(String user) throws IOException {
            out.writeBoolean(user != null);
            if (user != null) {
                out.writeUTF(user);
            }
        }

        private interface IoAction {
            void run() throws IOException;
        }

        private static void io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
