package org.mailsift.scanner.multimap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.mailsift.scanner.maps.HttpMap;
import org.mailsift.scanner.maps.MapFile;

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

        MapFile.Stamp stamp() throws IOException {
            return new MapFile(path).stamp();
        }

        MapFile.Snapshot read() throws IOException {
            return new MapFile(path).read();
        }
    }
}
