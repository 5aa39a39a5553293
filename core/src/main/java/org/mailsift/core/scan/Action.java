package org.mailsift.core.scan;

import java.util.Locale;
import java.util.Optional;

/** Rspamd's actions, weakest first; {@link #wireName()} is the string Rspamd puts in replies and headers. */
public enum Action {
    NO_ACTION("no action", null),
    GREYLIST("greylist", "greylist"),
    ADD_HEADER("add header", "add_header"),
    REWRITE_SUBJECT("rewrite subject", "rewrite_subject"),
    SOFT_REJECT("soft reject", "soft_reject"),
    REJECT("reject", "reject"),
    DISCARD("discard", "discard"),
    QUARANTINE("quarantine", "quarantine");

    private final String wireName;
    private final String configKey;

    Action(String wireName, String configKey) {
        this.wireName = wireName;
        this.configKey = configKey;
    }

    /** "add header", "no action", ... as in Rspamd's JSON and X-Rspamd-Action. */
    public String wireName() {
        return wireName;
    }

    /** The key in actions.conf ("add_header"), or null for no action. */
    public String configKey() {
        return configKey;
    }

    /** True for the actions Rspamd's milter marks with X-Spam: Yes (add header and stronger). */
    public boolean isSpam() {
        return this != NO_ACTION && this != GREYLIST;
    }

    public static Optional<Action> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ');
        for (Action a : values()) {
            if (a.wireName.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
