package org.mailsift.scanner.auth;

import java.util.Locale;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.scan.Action;

/**
 * The checks on incoming mail, from {@code spf.conf}, {@code dkim.conf}, {@code dmarc.conf} and {@code arc.conf}
 * (Rspamd's option names). SPF and DMARC skip local and authenticated senders unless {@code check_local} /
 * {@code check_authed} say otherwise; DKIM and ARC signatures are verified for everybody (Rspamd's defaults).
 *
 * @param dmarcReject     action forced for DMARC_POLICY_REJECT (dmarc.conf {@code actions { reject = ... }}), or null
 * @param dmarcQuarantine action forced for DMARC_POLICY_QUARANTINE, or null (score only)
 */
public record AuthSettings(boolean spfEnabled, boolean dkimEnabled, boolean dmarcEnabled, boolean arcEnabled,
                           boolean checkLocal, boolean checkAuthed, Action dmarcReject, Action dmarcQuarantine) {
    public static final AuthSettings DEFAULTS = new AuthSettings(true, true, true, true, false, false, null, null);
    private static final Set<String> COMMON = Set.of("enabled", "check_local", "check_authed");

    public static AuthSettings from(ConfigSource config) {
        UclObject spf = section(config, "spf");
        UclObject dkim = section(config, "dkim");
        UclObject dmarc = section(config, "dmarc");
        UclObject arc = section(config, "arc");
        spf.warnUnknown("spf.conf", COMMON, config::warn);
        dkim.warnUnknown("dkim.conf", COMMON, config::warn);
        dmarc.warnUnknown("dmarc.conf", Set.of("enabled", "actions", "check_local", "check_authed"), config::warn);
        Action reject = null;
        Action quarantine = null;
        if (dmarc.has("actions")) {
            UclObject actions = dmarc.getObject("actions").orElseThrow();
            actions.warnUnknown("dmarc.conf actions", Set.of("reject", "quarantine"), config::warn);
            reject = action(actions, "reject");
            quarantine = action(actions, "quarantine");
        }
        return new AuthSettings(spf.getBoolean("enabled", true), dkim.getBoolean("enabled", true),
                dmarc.getBoolean("enabled", true), arc.getBoolean("enabled", true),
                spf.getBoolean("check_local", dmarc.getBoolean("check_local", false)),
                spf.getBoolean("check_authed", dmarc.getBoolean("check_authed", false)), reject, quarantine);
    }

    private static Action action(UclObject actions, String key) {
        if (!actions.has(key)) {
            return null;
        }
        String v = actions.getString(key, "");
        return Action.fromName(v).orElseThrow(() -> new ConfigException(actions.get(key).orElseThrow().position(),
                "dmarc actions: unknown action '" + v.toLowerCase(Locale.ROOT) + "'"));
    }

    static UclObject section(ConfigSource config, String name) {
        UclObject s = config.section(name);
        if (s.keys().size() == 1 && s.has(name)) {
            return s.getObject(name).orElse(s);
        }
        return s;
    }
}
