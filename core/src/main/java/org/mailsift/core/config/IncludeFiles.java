package org.mailsift.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files an {@code .include} names: one path, or every file matching a {@code *}/{@code ?} pattern in the last segment, sorted. */
final class IncludeFiles {
    private IncludeFiles() {
    }

    static List<Path> resolve(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return List.of();
        }
        String last = name.toString();
        if (last.indexOf('*') < 0 && last.indexOf('?') < 0) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, last)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
