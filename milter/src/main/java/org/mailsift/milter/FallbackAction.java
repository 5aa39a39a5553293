package org.mailsift.milter;

import java.util.Locale;

/** What the MTA is told when a scan fails or times out; "accept" keeps mail flowing like {@code milter_default_action = accept}. */
public enum FallbackAction {
    ACCEPT, TEMPFAIL, REJECT;

    static FallbackAction parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "accept" -> ACCEPT;
            case "tempfail", "soft reject", "soft_reject" -> TEMPFAIL;
            case "reject" -> REJECT;
            default -> throw new IllegalArgumentException("fallback_action must be accept, tempfail or reject, found \"" + s + "\"");
        };
    }
}
