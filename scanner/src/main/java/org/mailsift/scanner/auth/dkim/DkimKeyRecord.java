package org.mailsift.scanner.auth.dkim;

import java.security.PublicKey;
import java.util.List;
import java.util.Locale;

/**
 * A DKIM key record (RFC 6376 section 3.6.1, RFC 8463): the public key from {@code p=} and the restrictions that
 * matter for verification.
 *
 * @param key        the public key
 * @param hashes     acceptable hashes from h= ("sha256", "sha1"), empty for any
 * @param testing    t=y
 * @param strictIdentity t=s: i= must be exactly d=
 */
public record DkimKeyRecord(PublicKey key, String type, List<String> hashes, boolean testing, boolean strictIdentity) {

    /** Why a record cannot be used; {@code revoked} for an empty p=. */
    public static final class KeyException extends Exception {
        private final boolean revoked;

        public KeyException(String message, boolean revoked) {
            super(message, null, false, false);
            this.revoked = revoked;
        }

        public boolean revoked() {
            return revoked;
        }
    }

    /** Parses by the record's text, kept: a busy server sees the same keys (from the DNS cache) for every message. */
    private static final org.mailsift.scanner.auth.RecordMemo<Object> PARSED = new org.mailsift.scanner.auth.RecordMemo<>(10_000);

    /**
     * {@link #parse} once per record text (its key decoded once, not per message); an unusable record's
     * exception is kept too and thrown again.
     */
    public static DkimKeyRecord parseCached(String txt) throws KeyException {
        Object parsed = PARSED.get(txt, text -> {
            try {
                return parse(text);
            } catch (KeyException e) {
                return e;
            }
        });
        if (parsed instanceof KeyException e) {
            throw e;
        }
        return (DkimKeyRecord) parsed;
    }

    public static DkimKeyRecord parse(String txt) throws KeyException {
        TagList t;
        try {
            t = TagList.parse(txt);
        } catch (TagList.MalformedTagsException e) {
            throw new KeyException("bad key record: " + e.getMessage(), false);
        }
        if (t.has("v") && (!"DKIM1".equals(t.get("v").orElseThrow()) || !"v".equals(t.firstTag().orElse("")))) {
            throw new KeyException("bad key record version", false);
        }
        String k = t.get("k").orElse("rsa").toLowerCase(Locale.ROOT);
        if (!k.equals("rsa") && !k.equals("ed25519")) {
            throw new KeyException("unknown key type k=" + k, false);
        }
        String p = TagList.noWhitespace(t.get("p").orElse(null) == null ? missing() : t.get("p").orElseThrow());
        if (p.isEmpty()) {
            throw new KeyException("key revoked (empty p=)", true);
        }
        byte[] der;
        try {
            der = java.util.Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new KeyException("bad base64 in p=", false);
        }
        PublicKey key = k.equals("rsa") ? DkimCrypto.rsaPublicKey(der) : DkimCrypto.ed25519PublicKey(der);
        List<String> hashes = t.get("h").map(h -> List.of(TagList.noWhitespace(h).toLowerCase(Locale.ROOT).split(":")))
                .orElse(List.of());
        String flags = t.get("t").map(TagList::noWhitespace).orElse("");
        List<String> f = List.of(flags.toLowerCase(Locale.ROOT).split(":"));
        if (t.has("s")) {
            List<String> services = List.of(TagList.noWhitespace(t.get("s").orElseThrow()).toLowerCase(Locale.ROOT).split(":"));
            if (!services.contains("*") && !services.contains("email")) {
                throw new KeyException("key not for email (s=)", false);
            }
        }
        return new DkimKeyRecord(key, k, hashes, f.contains("y"), f.contains("s"));
    }

    private static String missing() throws KeyException {
        throw new KeyException("key record without p=", false);
    }
}
