package org.mailsift.scanner.auth;

import java.util.List;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.scanner.auth.dkim.DkimSigning;
import org.mailsift.scanner.auth.dkim.DkimSigningSettings;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.settings.CidrSet;

/**
 * Email authentication as the engine plugs it in: the checks on incoming mail (one async rule adding symbols and
 * Authentication-Results) DKIM signing of outgoing mail and ARC sealing of forwarded mail (header contributors, in that order).
 */
public record AuthModule(List<Rule> rules, List<HeaderContributor> headerContributors) {

    public static AuthModule from(ConfigSource config, CidrSet localAddrs, String hostname) {
        AuthSettings checks = AuthSettings.from(config);
        DkimSigning signing = new DkimSigning(DkimSigningSettings.from(config, "dkim_signing"), "DKIM signing");
        DkimSigning sealing = new DkimSigning(DkimSigningSettings.from(config, "arc"), "ARC sealing");
        return new AuthModule(List.of(new AuthRule(checks, hostname)),
                List.of(new DkimSignatureHeader(signing, localAddrs), new ArcSealHeaders(sealing, localAddrs)));
    }
}
