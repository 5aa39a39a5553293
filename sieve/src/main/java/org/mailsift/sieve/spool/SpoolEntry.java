package org.mailsift.sieve.spool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

import org.mailsift.core.learn.LearnClass;

/**
 * A spooled learn, named by the learn helper {@code CLASS.EPOCH.PID.RANDOM.HEXUSER.eml}: class "spam" or "ham",
 * the user hex-encoded (any byte is safe in a file name that way), "-" for no user.
 */
public record SpoolEntry(Path file, LearnClass learnClass, String user) {

    public static Optional<SpoolEntry> parse(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        if (parts.length != 6 || !parts[5].equals("eml")) {
            return Optional.empty();
        }
        LearnClass c = switch (parts[0]) {
            case "spam" -> LearnClass.SPAM;
            case "ham" -> LearnClass.HAM;
            default -> null;
        };
        if (c == null) {
            return Optional.empty();
        }
        String user = null;
        if (!parts[4].equals("-")) {
            try {
                user = new String(HexFormat.of().parseHex(parts[4]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new SpoolEntry(file, c, user));
    }

    /** The name the helper would give (used by tests and by anything else that wants to queue a learn). */
    public static String fileName(LearnClass c, String user, long epochSeconds, long pid, long random) {
        String hex = user == null || user.isEmpty() ? "-" : HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8));
        return c.label() + "." + epochSeconds + "." + pid + "." + random + "." + hex + ".eml";
    }
}
