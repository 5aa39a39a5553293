package org.mailsift.scanner.auth.dkim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.core.message.Envelope;
import org.mailsift.scanner.auth.RawMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether and as whom to sign outgoing mail, as Rspamd's dkim_signing does, and signs it. A missing or
 * unreadable key is logged once per key file (again only after it changed) and the message goes out unsigned:
 * signing never fails delivery.
 */
public final class DkimSigning {
    private static final Logger LOG = LoggerFactory.getLogger(DkimSigning.class);

    /** Who signs: domain and key. */
    public record Signer(String domain, String selector, PrivateKey key) {
    }

    private record CachedKey(long modified, PrivateKey key, String error) {
    }

    private final DkimSigningSettings settings;
    /** What the keys are for, as the log says it: "DKIM signing" or "ARC sealing". */
    private final String purpose;
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

    public DkimSigning(DkimSigningSettings settings) {
        this(settings, "DKIM signing");
    }

    public DkimSigning(DkimSigningSettings settings, String purpose) {
        this.settings = settings;
        this.purpose = purpose;
    }

    public DkimSigningSettings settings() {
        return settings;
    }

    /**
     * The signer for this message, or null when it must not be signed (not local, not authenticated, domain
     * mismatch, no key).
     */
    public Signer signerFor(RawMessage message, Envelope env, boolean local) {
        if (!settings.enabled()) {
            return null;
        }
        boolean authed = env.isAuthenticated();
        boolean allowed = authed && settings.signAuthenticated() || local && settings.signLocal()
                || !authed && !local && settings.signInbound();
        if (!allowed) {
            return null;
        }
        List<RawMessage.Field> froms = message.fields("From");
        if (froms.size() != 1 && !(settings.allowHdrfromMultiple() && froms.size() > 1)) {
            return null;
        }
        String hdrDomain = froms.isEmpty() ? null : domainOf(lastAddress(froms.get(0).value()));
        String envDomain = domainOf(env.mailFrom());
        String domain = switch (settings.useDomain()) {
            case "envelope" -> envDomain;
            case "auth" -> domainOf(env.authUser());
            case "recipient" -> env.rcptTo().isEmpty() ? null : domainOf(env.rcptTo().get(0));
            default -> hdrDomain;
        };
        if (domain == null) {
            return null;
        }
        if (settings.useEsld()) {
            domain = PublicSuffix.organizationalDomain(domain);
        }
        if (!settings.allowHdrfromMismatch() && envDomain != null && hdrDomain != null
                && !PublicSuffix.organizationalDomain(envDomain).equals(PublicSuffix.organizationalDomain(hdrDomain))) {
            return null;
        }
        if (authed && !settings.allowUsernameMismatch()) {
            String userDomain = domainOf(env.authUser());
            if (userDomain == null || !PublicSuffix.organizationalDomain(userDomain).equals(PublicSuffix.organizationalDomain(domain))) {
                return null;
            }
        }
        DkimSigningSettings.DomainKey dk = settings.keyFor(domain);
        if (dk == null) {
            return null;
        }
        PrivateKey key = load(Path.of(dk.path()));
        return key == null ? null : new Signer(domain, dk.selector(), key);
    }

    /** The DKIM-Signature value for {@code message} (as the MTA will hold it, other edits applied). */
    public String sign(RawMessage message, Signer signer, long nowSeconds) {
        try {
            return DkimSigner.sign(new HeaderHashInput(message), signer.domain(), signer.selector(), signer.key(),
                    settings.signHeaders(), Canonicalization.RELAXED, Canonicalization.RELAXED, nowSeconds,
                    settings.expireSeconds());
        } catch (java.security.GeneralSecurityException e) {
            LOG.warn("{} as {} (selector {}) failed; message sent without it: {}", purpose, signer.domain(),
                    signer.selector(), e.getMessage());
            return null;
        }
    }

    private PrivateKey load(Path file) {
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            modified = -1;
        }
        String k = file.toString();
        CachedKey cached = keys.get(k);
        if (cached != null && cached.modified == modified) {
            return cached.key;
        }
        CachedKey fresh;
        try {
            fresh = new CachedKey(modified, DkimKeyFiles.read(file), null);
        } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
            String error = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
            fresh = new CachedKey(modified, null, error);
            LOG.warn("{} key {} cannot be used ({}); mail for its domain goes out without {}", purpose, file, error,
                    purpose.equals("ARC sealing") ? "an ARC seal" : "a DKIM signature");
        }
        keys.put(k, fresh);
        return fresh.key;
    }

    static String domainOf(String addr) {
        if (addr == null) {
            return null;
        }
        int at = addr.lastIndexOf('@');
        if (at < 0 || at == addr.length() - 1) {
            return null;
        }
        String d = addr.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(">")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d;
    }

    /** The address of a From value: inside angle brackets, else the bare text. */
    static String lastAddress(String value) {
        String v = value.replace("\r\n", "").strip();
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            return v.substring(lt + 1, gt).strip();
        }
        int paren = v.indexOf('(');
        return (paren > 0 ? v.substring(0, paren) : v).strip();
    }
}
