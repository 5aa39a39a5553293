package org.mailsift.core.net;

import java.time.Duration;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;

/**
 * How fast a message body must arrive once it has started (Apache's mod_reqtimeout rule, {@code body=20,MinRate=500}):
 * the whole body within {@code body_timeout}, pushed back one second for every {@code body_min_rate} bytes that
 * arrived. A client trickling a byte every few seconds is cut off after about {@code body_timeout}; a large upload
 * at any honest speed is not. The read idle timeout alone cannot do this: every byte resets it.
 *
 * @param timeout          {@code body_timeout}: the grace a body gets whatever its size
 * @param minBytesPerSecond {@code body_min_rate}: each such many bytes received earn one more second
 */
public record MinimumDataRate(Duration timeout, long minBytesPerSecond) {
    public static final MinimumDataRate DEFAULT = new MinimumDataRate(Duration.ofSeconds(20), 500);

    public MinimumDataRate {
        if (timeout.isNegative() || timeout.isZero() || minBytesPerSecond < 1) {
            throw new IllegalArgumentException("body_timeout and body_min_rate must be positive");
        }
    }

    /** The moment (in {@link System#nanoTime()} terms) by which a body that started at {@code startNanos} must be complete, given the bytes received so far. */
    public long deadlineNanos(long startNanos, long bytesReceived) {
        long earned = bytesReceived >= Long.MAX_VALUE / 1_000_000_000L
                ? Long.MAX_VALUE / 4 : bytesReceived * 1_000_000_000L / minBytesPerSecond;
        return startNanos + timeout.toNanos() + earned;
    }

    /** Reads {@code body_timeout} and {@code body_min_rate} from a worker section, errors naming the option's place. */
    public static MinimumDataRate from(UclObject section, MinimumDataRate fallback) {
        long millis = section.getMillis("body_timeout", fallback.timeout().toMillis());
        long rate = section.getLong("body_min_rate", fallback.minBytesPerSecond());
        try {
            return new MinimumDataRate(Duration.ofMillis(millis), rate);
        } catch (IllegalArgumentException e) {
            String key = millis < 1 ? "body_timeout" : "body_min_rate";
            throw new ConfigException(section.getScalar(key).map(UclScalar::position).orElse(section.position()),
                    key + " must be positive");
        }
    }
}
