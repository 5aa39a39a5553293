package org.mailsift.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * libucl's {@code .load(key = "name", target = "string"|"int", try, trim, multiline, escape, priority) "file"}: the
 * whole text of a file becomes the value of {@code key} (a string, or a number with {@code target = "int"}).
 */
final class UclLoad {
    private static final java.util.regex.Pattern LEADING_INTEGER = java.util.regex.Pattern.compile("[+-]?\\d+");
    private UclLoad() {
    }

    /** What {@code .load} adds: one key, its value and its priority. */
    record Loaded(String key, UclValue value, int priority) {
    }

    /** The loaded value, or empty when the file is missing and {@code try = true}. */
    static Optional<Loaded> load(UclObject args, Path file, Position at, Consumer<String> warnings) {
        String key = args.getString("key", null);
        if (key == null || key.isEmpty()) {
            throw new ConfigException(at, ".load needs a key: .load(key = \"name\") \"file\"");
        }
        boolean optional = args.getBoolean("try", false);
        int priority = args.getScalar("priority").map(IncludeParams::priority).orElse(0);
        String target = args.getString("target", "string").toLowerCase(Locale.ROOT);
        for (String name : args.keys()) {
            if (!name.matches("key|try|priority|target|trim|multiline|escape")) {
                warnings.accept(args.get(name).orElseThrow().position() + ": unknown .load parameter '" + name
                        + "' (ignored)");
            }
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (optional) {
                return Optional.empty();
            }
            throw new ConfigException(at, ".load: file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException(at, ".load: cannot read " + file + ": " + e.getMessage());
        }
        if (args.getBoolean("trim", false)) {
            text = text.strip();
        }
        Object value = switch (target) {
            case "string" -> text;
            case "int" -> parseInt(text.strip(), at);
            default -> throw new ConfigException(at, ".load: target must be string or int, found \"" + target + "\"");
        };
        return Optional.of(new Loaded(key, new UclScalar(value, at), priority));
    }

    /** The whole number the file starts with, as strtoll reads it ("123\n321" is 123). */
    private static long parseInt(String text, Position at) {
        java.util.regex.Matcher m = LEADING_INTEGER.matcher(text);
        try {
            if (m.lookingAt()) {
                return Long.parseLong(m.group());
            }
        } catch (NumberFormatException tooLong) {
            // reported below
        }
        throw new ConfigException(at, ".load(target = \"int\"): the file does not start with a whole number");
    }
}
