package org.mailsift.scanner.auth.dkim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;

/**
 * {@code dkim_signing.conf} (and {@code arc.conf} for sealing), with Rspamd's option names and defaults:
 * <pre>
 * path = "/var/lib/mailsift/dkim/$domain.$selector.key";
 * selector = "dkim";
 * use_domain = "header";          # header | envelope | auth | recipient
 * use_esld = true;                # sign with the organizational domain
 * sign_authenticated = true; sign_local = true; sign_inbound = false;
 * allow_username_mismatch = false; allow_hdrfrom_mismatch = false; allow_hdrfrom_multiple = false;
 * try_fallback = true;            # domains not in domain { } use path / selector above
 * sign_headers = "(o)from:...";   # Rspamd's default list
 * expire = 0;                     # x= after this many seconds (0: none)
 * domain { example.com { selector = "s1"; path = "/var/lib/mailsift/dkim/example.com.s1.key"; } }
 * </pre>
 */
public record DkimSigningSettings(boolean enabled, String path, String selector, String useDomain, boolean useEsld,
                                  boolean signAuthenticated, boolean signLocal, boolean signInbound,
                                  boolean allowUsernameMismatch, boolean allowHdrfromMismatch,
                                  boolean allowHdrfromMultiple, boolean tryFallback, SignedHeaders signHeaders,
                                  long expireSeconds, Map<String, DomainKey> domains) {
    public record DomainKey(String selector, String path) {
    }

    public static final String DEFAULT_PATH = "/var/lib/mailsift/dkim/$domain.$selector.key";
    public static final String ARC_PATH = "/var/lib/mailsift/arc/$domain.$selector.key";
    private static final Set<String> KNOWN = Set.of("enabled", "path", "selector", "use_domain", "use_esld",
            "sign_authenticated", "sign_local", "sign_inbound", "allow_username_mismatch", "allow_hdrfrom_mismatch",
            "allow_hdrfrom_multiple", "try_fallback", "sign_headers", "expire", "domain",
            // Rspamd options with no meaning here (maps, Redis keys, ARC-only knobs read elsewhere)
            "selector_map", "path_map", "use_redis", "key_prefix", "check_pubkey", "allow_pubkey_mismatch",
            "use_http_headers", "http_sign_header", "http_domain_header", "http_selector_header",
            "http_key_header", "allowed_ids", "forbidden_ids", "sign_condition", "use_vault", "vault_path",
            "vault_domains", "vault_url", "vault_token", "skip_spam_sign", "signing_table", "key_table");

    public static DkimSigningSettings from(ConfigSource config, String name) {
        UclObject s = config.section(name);
        if (s.keys().size() == 1 && s.has(name)) {
            s = s.getObject(name).orElse(s);
        }
        s.warnUnknown(name + ".conf", KNOWN, config::warn);
        boolean arc = name.equals("arc");
        // Rspamd's arc module seals what it forwards: inbound mail, as the recipient's domain, whatever the sender
        String useDomain = s.getString("use_domain", arc ? "recipient" : "header").toLowerCase(Locale.ROOT);
        if (!Set.of("header", "envelope", "auth", "recipient").contains(useDomain)) {
            throw new ConfigException(s.get("use_domain").orElseThrow().position(),
                    "use_domain must be header, envelope, auth or recipient");
        }
        Map<String, DomainKey> domains = new LinkedHashMap<>();
        if (s.has("domain")) {
            UclObject d = s.getObject("domain").orElseThrow();
            for (String domain : d.keys()) {
                UclObject entry = d.getObject(domain).orElseThrow();
                domains.put(domain.toLowerCase(Locale.ROOT), new DomainKey(entry.getString("selector",
                        s.getString("selector", "dkim")), entry.getString("path", s.getString("path", DEFAULT_PATH))));
            }
        }
        return new DkimSigningSettings(s.getBoolean("enabled", true) && (!arc || s.has("path") || s.has("domain")),
                s.getString("path", arc ? ARC_PATH : DEFAULT_PATH),
                s.getString("selector", arc ? "arc" : "dkim"), useDomain, s.getBoolean("use_esld", true),
                // Rspamd's shipped arc.conf seals what arrives from outside only (sign_authenticated = false,
                // sign_local = false, allow_username_mismatch = false); dkim_signing signs the site's own mail
                s.getBoolean("sign_authenticated", !arc), s.getBoolean("sign_local", !arc),
                s.getBoolean("sign_inbound", arc), s.getBoolean("allow_username_mismatch", false),
                s.getBoolean("allow_hdrfrom_mismatch", arc), s.getBoolean("allow_hdrfrom_multiple", false),
                s.getBoolean("try_fallback", true),
                SignedHeaders.parse(s.getString("sign_headers", SignedHeaders.RSPAMD_DEFAULT)),
                s.getMillis("expire", 0) / 1000, Map.copyOf(domains));
    }

    /** The key file and selector for a signing domain, or null when the domain has none configured. */
    public DomainKey keyFor(String domain) {
        DomainKey k = domains.get(domain);
        if (k == null && tryFallback) {
            k = new DomainKey(selector, path);
        }
        if (k == null) {
            return null;
        }
        return new DomainKey(k.selector(), k.path().replace("$domain", domain).replace("$selector", k.selector()));
    }
}
