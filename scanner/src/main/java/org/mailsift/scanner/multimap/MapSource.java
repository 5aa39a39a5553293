package org.mailsift.scanner.multimap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

import org.mailsift.scanner.maps.HttpMap;

/**
 * Where a map's entries come from: entries written in multimap.conf itself, a map file (a path or {@code file://}
 * URL) that is read again when it changes, or an HTTP(S) map ({@link HttpMap}, fetched again when the server has a
 * newer version).
 */
sealed interface MapSource permits MapSource.Inline, MapSource.File, MapSource.Http {
    /** A name for messages: the file, or the configuration position of inline entries. */
    String origin();

    /** Entries in multimap.conf ({@code map = ["a", "b value"]}); each item is one map line. */
    record Inline(String origin, List<MapFileFormat.Entry> entries) implements MapSource {
    }

    /** An HTTP(S) map: its last good text, kept current by {@link HttpMap#check()}. */
    record Http(HttpMap map) implements MapSource {
        @Override
        public String origin() {
            return map.uri().toString();
        }
    }

    /** A map file. */
    record File(Path path) implements MapSource {
        @Override
        public String origin() {
            return path.toString();
        }

        /** The file's identity and version (inode, mtime, size), or null when it does not exist. */
        Stamp stamp() throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /**
         * Reads the file whole, or returns null when it changed while being read (a writer is still at it: the next
         * check reads it again).
         */
        Snapshot read() throws IOException {
            Stamp before = stamp();
            if (before == null) {
                throw new NoSuchFileException(path.toString());
            }
            byte[] bytes = Files.readAllBytes(path);
            Stamp after = stamp();
            if (!before.equals(after) || bytes.length != before.size()) {
                return null;
            }
            return new Snapshot(before, new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** A file's version: a change of any part (an atomic rename changes the inode) means a reload. */
    record Stamp(Object fileKey, long modifiedMillis, long size) {
        boolean sameAs(Stamp other) {
            return other != null && Objects.equals(fileKey, other.fileKey) && modifiedMillis == other.modifiedMillis
                    && size == other.size;
        }
    }

    record Snapshot(Stamp stamp, String text) {
    }
}
