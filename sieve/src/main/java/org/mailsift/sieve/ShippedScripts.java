package org.mailsift.sieve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The scripts shipped in {@code share/sieve/} (source: {@code sieve/src/main/dist/sieve}), read from the jar,
 * where the build copies the same files.
 */
public final class ShippedScripts {
    public static final String SPAM_TO_JUNK = "spam-to-junk.sieve";
    public static final String SPAM_TO_JUNK_READ = "spam-to-junk-read.sieve";
    public static final String SPAM_TO_JUNK_SCORE = "spam-to-junk-score.sieve";
    public static final String REPORT_SPAM = "report-spam.sieve";
    public static final String REPORT_HAM = "report-ham.sieve";
    public static final String LEARN_HELPER = "mailsift-learn";

    private ShippedScripts() {
    }

    public static byte[] read(String name) {
        try (InputStream in = ShippedScripts.class.getResourceAsStream("/org/mailsift/sieve/scripts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no shipped script " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name used in logs for a shipped script. */
    public static String displayName(String name) {
        return "share/sieve/" + name;
    }
}
