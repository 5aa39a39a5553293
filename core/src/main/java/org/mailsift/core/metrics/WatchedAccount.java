package org.mailsift.core.metrics;

import java.time.Instant;

/**
 * One account of the IMAP watcher as status pages show it: the watcher module makes it, the controller renders it in
 * {@code /stat} (the two modules do not know each other; {@code agent} passes a supplier of these).
 *
 * @param state       the connection state, lower case ({@code idle}, {@code polling}, {@code backoff}, ...)
 * @param errors      errors since start (connections, logins, unreadable messages)
 * @param lastEventAt null when nothing happened yet; likewise {@code lastErrorAt}
 * @param filedByFilter messages the filter filed into Junk that the watcher has recorded (moving one out is a rescue)
 */
public record WatchedAccount(String account, String state, long learnedSpam, long learnedHam, long errors,
                             String lastEvent, Instant lastEventAt, String lastError, Instant lastErrorAt,
                             long filedByFilter) {
}
