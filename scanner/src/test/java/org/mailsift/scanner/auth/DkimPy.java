package org.mailsift.scanner.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs Debian's python3-dkim (the independent implementation) through src/test/resources/auth/dkimpy.py. */
public final class DkimPy {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private final Path dir;

    public DkimPy(Path dir) {
        this.dir = dir;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/python3/dist-packages/dkim/__init__.py")),
                "python3-dkim is not installed (scripts/install-test-deps.sh)");
    }

    public byte[] run(byte[] stdin, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve("dkimpy.py");
        if (!Files.exists(script)) {
            try (var in = DkimPy.class.getResourceAsStream("/auth/dkimpy.py")) {
                Files.copy(in, script);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("dkimpy.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("dkimpy " + String.join(" ", args) + " failed: " + Files.readString(err));
        }
        return out;
    }

    /** A zone file for the verify commands. */
    public Path zone(Map<String, String> txt) throws IOException {
        StringBuilder sb = new StringBuilder();
        txt.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        Path z = Files.createTempFile(dir, "zone", ".txt");
        Files.writeString(z, sb);
        return z;
    }
}
