package org.mailsift.scanner.maps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** A map file: its version (inode, mtime, size) and a whole, consistent read of it. */
public record MapFile(Path path) {
    /** A file's version: a change of any part (an atomic rename changes the inode) means a reload. */
    public record Stamp(Object fileKey, long modifiedMillis, long size) {
        public boolean sameAs(Stamp other) {
            return other != null && Objects.equals(fileKey, other.fileKey) && modifiedMillis == other.modifiedMillis
                    && size == other.size;
        }
    }

    public record Snapshot(Stamp stamp, String text) {
    }

    /** What a check found: the loaded version, a new one to load, or a reason to keep the loaded one for now. */
    public enum Change {
        SAME, CHANGED, WAIT;

        /** Several files together: wait when one must, load when one changed. */
        public static Change of(java.util.stream.Stream<Change> changes) {
            return changes.reduce(SAME, (a, b) -> a == WAIT || b == WAIT ? WAIT : a == CHANGED || b == CHANGED ? CHANGED : SAME);
        }
    }

    /**
     * Compares the file with the version {@code loaded} (null: none was): a file that disappeared, cannot be checked
     * or changed less than {@code settle} ago (a writer may still be at it) is {@link Change#WAIT}, the reason given
     * to {@code problem} when the running entries are kept.
     */
    public Change changeSince(Stamp loaded, Clock clock, Duration settle, Consumer<String> problem) {
        try {
            Stamp now = stamp();
            if (now == null) {
                if (loaded != null) {
                    problem.accept(path + " disappeared; keeping the entries loaded before");
                }
                return Change.WAIT;
            }
            if (now.sameAs(loaded)) {
                return Change.SAME;
            }
            return clock.millis() - now.modifiedMillis() < settle.toMillis() ? Change.WAIT : Change.CHANGED;
        } catch (IOException e) {
            problem.accept("cannot check " + path + ": " + e.getMessage());
            return Change.WAIT;
        }
    }

    /** The file's identity and version, or null when it does not exist. */
    public Stamp stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Reads the file whole (a zstd file unpacked: {@link MapText}), or returns null when it changed while being read (a writer is still at it: the next
     * check reads it again).
     */
    public Snapshot read() throws IOException {
        Stamp before = stamp();
        if (before == null) {
            throw new NoSuchFileException(path.toString());
        }
        byte[] bytes = Files.readAllBytes(path);
        Stamp after = stamp();
        if (!before.equals(after) || bytes.length != before.size()) {
            return null;
        }
        return new Snapshot(before, MapText.decode(bytes, MapOptions.DEFAULT_MAX_SIZE));
    }
}
