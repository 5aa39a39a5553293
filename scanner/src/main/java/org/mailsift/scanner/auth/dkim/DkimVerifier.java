package org.mailsift.scanner.auth.dkim;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.mailsift.scanner.auth.AuthDns;
import org.mailsift.scanner.auth.RawMessage;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376, RFC 8463): all key lookups go out at once, then each
 * signature is checked. At most {@link #MAX_SIGNATURES} are checked, so a message with a hundred signatures costs
 * no more than one with a few; the rest are ignored, as Rspamd's {@code max_sigs} does.
 */
public final class DkimVerifier {
    public static final int MAX_SIGNATURES = 10;
    /** Allowed clock difference for t= in the future. */
    static final long CLOCK_SKEW_SECONDS = 300;

    private DkimVerifier() {
    }

    public static CompletableFuture<List<DkimResult>> verify(HeaderHashInput input, AuthDns dns, long nowSeconds) {
        List<RawMessage.Field> sigs = input.message().fields("DKIM-Signature");
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        Map<String, CompletableFuture<AuthDns.Answer>> keys = new HashMap<>();
        for (int i = 0; i < sigs.size() && i < MAX_SIGNATURES; i++) {
            RawMessage.Field field = sigs.get(i);
            DkimSignature sig;
            try {
                sig = DkimSignature.parse(field.value(), false);
            } catch (TagList.MalformedTagsException e) {
                results.add(CompletableFuture.completedFuture(new DkimResult(DkimResult.Status.PERMFAIL,
                        lenientDomain(field.value()), "", "", "bad signature: " + e.getMessage())));
                continue;
            }
            if (sig.expiration() >= 0 && sig.expiration() < nowSeconds) {
                results.add(CompletableFuture.completedFuture(DkimResult.of(DkimResult.Status.PERMFAIL, sig, "signature expired")));
                continue;
            }
            if (sig.timestamp() > nowSeconds + CLOCK_SKEW_SECONDS) {
                results.add(CompletableFuture.completedFuture(DkimResult.of(DkimResult.Status.PERMFAIL, sig, "signature from the future")));
                continue;
            }
            String keyName = sig.selector() + "._domainkey." + sig.domain();
            CompletableFuture<AuthDns.Answer> key = keys.computeIfAbsent(keyName, dns::txt);
            results.add(key.thenApply(answer -> check(input, field, sig, answer)));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
    }

    static DkimResult check(HeaderHashInput input, RawMessage.Field field, DkimSignature sig, AuthDns.Answer answer) {
        DkimKeyRecord key;
        if (answer.status() == AuthDns.Status.TEMPFAIL) {
            return DkimResult.of(DkimResult.Status.TEMPFAIL, sig, "key lookup failed");
        }
        if (answer.status() == AuthDns.Status.NONE || answer.records().isEmpty()) {
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, "no key");
        }
        try {
            key = DkimKeyRecord.parseCached(answer.records().get(0));
        } catch (DkimKeyRecord.KeyException e) {
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, e.getMessage());
        }
        return verifyWithKey(input, field.text(), sig, key);
    }

    /** Checks one signature against a key already fetched (also used by ARC for its AMS). */
    public static DkimResult verifyWithKey(HeaderHashInput input, String fieldText, DkimSignature sig, DkimKeyRecord key) {
        if (!key.type().equals(sig.keyType())) {
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, "key type does not match a=");
        }
        String hashName = sig.hashAlgorithm().equals("SHA-1") ? "sha1" : "sha256";
        if (!key.hashes().isEmpty() && !key.hashes().contains(hashName)) {
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, "hash not allowed by the key");
        }
        if (key.strictIdentity() && sig.identity() != null
                && !sig.identity().substring(sig.identity().lastIndexOf('@') + 1).equalsIgnoreCase(sig.domain())) {
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, "key requires i= domain to equal d=");
        }
        byte[] body = input.canonicalBody(sig.bodyCanon());
        int length = body.length;
        if (sig.bodyLength() >= 0) {
            if (sig.bodyLength() > body.length) {
                return DkimResult.of(DkimResult.Status.REJECT, sig, "body shorter than l=");
            }
            length = (int) sig.bodyLength();
        }
        byte[] bh = DkimCrypto.digest(sig.hashAlgorithm(), body, length);
        if (!MessageDigest.isEqual(bh, sig.bodyHash())) {
            return DkimResult.of(DkimResult.Status.REJECT, sig, "body hash did not verify");
        }
        byte[] data = input.headers(sig.signedHeaders(), sig.headerCanon(), fieldText);
        if (!DkimCrypto.verify(key.key(), sig.hashAlgorithm(), data, sig.signature())) {
            return DkimResult.of(DkimResult.Status.REJECT, sig, "signature did not verify");
        }
        if (length < body.length && hasText(body, length)) {
            // the l= attack: content after the signed part is someone else's; the signature vouches for none of it
            return DkimResult.of(DkimResult.Status.PERMFAIL, sig, "unsigned content after l=");
        }
        return DkimResult.of(DkimResult.Status.PASS, sig, null);
    }

    private static boolean hasText(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return true;
            }
        }
        return false;
    }

    /** d= of a signature that does not parse, for DKIM_TRACE ("" when even that is unreadable). */
    static String lenientDomain(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|;)\\s*d\\s*=\\s*([A-Za-z0-9._-]{1,253})")
                .matcher(value);
        return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : "";
    }
}
