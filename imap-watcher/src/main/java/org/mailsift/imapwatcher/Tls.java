package org.mailsift.imapwatcher;

import java.util.Locale;

/** How the IMAP connection is protected. */
public enum Tls {
    /** TLS from the first byte (imaps, port 993). */
    IMPLICIT,
    /** Plain connection upgraded with STARTTLS, which is then required (port 143). */
    STARTTLS,
    /** No TLS at all: only sensible on loopback or a private link. */
    NONE;

    public static Tls parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "implicit", "ssl", "tls", "imaps" -> IMPLICIT;
            case "starttls" -> STARTTLS;
            case "none", "plain", "no", "false" -> NONE;
            default -> throw new IllegalArgumentException("tls must be implicit, starttls or none, not \"" + s + "\"");
        };
    }

    public int defaultPort() {
        return this == IMPLICIT ? 993 : 143;
    }
}
