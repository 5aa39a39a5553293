package org.mailsift.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** FILE...|DIR|- arguments as a list of messages to read (a folder: its regular files in name order). */
record MessageInputs(String name, Path path, String error) {

    static List<MessageInputs> expand(List<String> args) {
        List<MessageInputs> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-")) {
                out.add(new MessageInputs("stdin", null, null));
                continue;
            }
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(Files::isRegularFile).sorted(Comparator.comparing(f -> f.getFileName().toString()))
                            .forEach(f -> out.add(new MessageInputs(f.toString(), f, null)));
                } catch (IOException e) {
                    out.add(new MessageInputs(arg, p, "cannot list the folder: " + e.getMessage()));
                }
            } else if (!Files.isReadable(p)) {
                out.add(new MessageInputs(arg, p, Files.exists(p) ? "not readable" : "no such file"));
            } else {
                out.add(new MessageInputs(arg, p, null));
            }
        }
        return out;
    }

    byte[] read(InputStream stdin) throws IOException {
        return path == null ? stdin.readAllBytes() : Files.readAllBytes(path);
    }
}
