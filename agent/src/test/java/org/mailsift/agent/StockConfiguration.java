package org.mailsift.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository's shipped `etc/`, copied for a test that then writes its own local.d / override.d files. */
public final class StockConfiguration {
    private StockConfiguration() {
    }

    /**
     * Copies the stock configuration into {@code etc} (created) and returns it, with the DNS checks off
     * ({@code local.d/options.inc: dns { enabled = false; }}): what a test sees must not depend on the machine's
     * resolver. Tests of the DNS checks write their own local.d/options.inc with a test nameserver.
     */
    public static Path copyTo(Path etc) throws IOException {
        copyStock(etc);
        Files.writeString(etc.resolve("local.d/options.inc"), "dns { enabled = false; }\n");
        return etc;
    }

    /** The stock configuration exactly as shipped (DNS checks on, with the machine's resolver). */
    public static Path copyStock(Path etc) throws IOException {
        Path source = Path.of(System.getProperty("mailsift.root", "..")).resolve("etc");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = etc.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return etc;
    }
}
