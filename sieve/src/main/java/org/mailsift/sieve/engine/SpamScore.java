package org.mailsift.sieve.engine;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scan score the spamtest/spamtestplus tests read (RFC 5235): {@code score} out of {@code max}
 * (our reject threshold, "required_score"), as Dovecot computes it when configured with
 * {@code sieve_spamtest_status_type = score} and X-Spamd-Result as status and max header.
 */
public record SpamScore(double score, double max) {
    private static final Pattern SPAMD_RESULT = Pattern.compile("^\\S+: [A-Za-z]+ \\[(-?[0-9]+(?:\\.[0-9]+)?) / (-?[0-9]+(?:\\.[0-9]+)?)\\]");

    /** Reads "default: False [7.30 / 15.00]; ..." */
    public static Optional<SpamScore> fromSpamdResult(String headerValue) {
        Matcher m = SPAMD_RESULT.matcher(headerValue.trim());
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new SpamScore(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
    }

    /**
     * RFC 5235 spamtest value: 1 (certainly not spam) to 10 (certainly spam), 1 + floor(9 * score / max) with the
     * ratio clamped to [0, 1] -- the values Pigeonhole's sieve-test printed for the same X-Spamd-Result headers.
     */
    public int spamtestValue() {
        return (int) Math.floor(ratio() * 9.0) + 1;
    }

    /** spamtestplus :percent value, floor(100 * score / max) clamped to 0..100 (as Pigeonhole). */
    public int percent() {
        return (int) Math.floor(ratio() * 100.0);
    }

    private double ratio() {
        if (max <= 0) {
            return score > 0 ? 1.0 : 0.0;
        }
        return Math.max(0.0, Math.min(1.0, score / max));
    }
}
