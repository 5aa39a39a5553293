package org.mailsift.controller.webui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.mailsift.controller.api.ApiException;

/**
 * A file under {@code local.d/} that the controller owns: it starts with a marker line, is replaced atomically
 * (temporary file in the same directory, then rename), and one written by hand (no marker) is never overwritten.
 */
final class LocalConfigFile {
    private final Path file;
    private final String marker;

    LocalConfigFile(Path file, String marker) {
        this.file = file;
        this.marker = marker;
    }

    Path path() {
        return file;
    }

    /** The current content, or empty when the file does not exist. */
    Optional<String> read() throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /** True when the file is absent or carries our marker. */
    boolean ours() throws IOException {
        return read().map(s -> s.startsWith(marker)).orElse(true);
    }

    /** Writes {@code body} under the marker line; 409 when the file is maintained by hand. */
    void write(String body) throws IOException {
        if (!ours()) {
            throw new ApiException(409, file + " is maintained by hand; edit it there");
        }
        replace(Optional.of(marker + "\n" + body));
    }

    /** Puts back an earlier state: the content given, or no file at all. */
    void replace(Optional<String> content) throws IOException {
        if (content.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content.get(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
