package org.mailsift.scanner.auth.arc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.mailsift.scanner.auth.AuthDns;
import org.mailsift.scanner.auth.RawMessage;
import org.mailsift.scanner.auth.dkim.Canonicalization;
import org.mailsift.scanner.auth.dkim.DkimCrypto;
import org.mailsift.scanner.auth.dkim.DkimKeyRecord;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.dkim.DkimSignature;
import org.mailsift.scanner.auth.dkim.DkimVerifier;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.scanner.auth.dkim.TagList;

/**
 * Validates an ARC chain (RFC 8617 section 5.2): the sets must be complete and numbered 1..N without gaps, seal
 * 1 says cv=none and the others cv=pass, the newest ARC-Message-Signature verifies, and every ARC-Seal verifies
 * over the sets up to its own. Structure problems give INVALID; a signature that does not verify, REJECT.
 */
public final class ArcVerifier {
    public static final int MAX_INSTANCES = 50;

    private ArcVerifier() {
    }

    /** One ARC set's three fields. */
    public record ArcSet(RawMessage.Field seal, RawMessage.Field signature, RawMessage.Field results) {
    }

    /** A parsed ARC-Seal. */
    record Seal(int instance, String algorithm, byte[] b, String cv, String domain, String selector) {
        static Seal parse(String value) throws TagList.MalformedTagsException {
            TagList t = TagList.parse(value);
            int i = DkimSignature.ArcInstance.parse(t.require("i"));
            if (t.has("h")) {
                throw new TagList.MalformedTagsException("ARC-Seal must not have h=");
            }
            String a = t.require("a").toLowerCase(Locale.ROOT);
            if (!a.equals("rsa-sha256") && !a.equals("ed25519-sha256")) {
                throw new TagList.MalformedTagsException("unsupported a=" + a);
            }
            String cv = t.require("cv").toLowerCase(Locale.ROOT);
            if (!cv.equals("none") && !cv.equals("pass") && !cv.equals("fail")) {
                throw new TagList.MalformedTagsException("bad cv=" + cv);
            }
            String d = t.require("d").toLowerCase(Locale.ROOT);
            String s = t.require("s").toLowerCase(Locale.ROOT);
            if (!DkimSignature.isDomain(d) || !DkimSignature.isSelector(s)) {
                throw new TagList.MalformedTagsException("bad d= or s=");
            }
            return new Seal(i, a, DkimSignature.base64(t.require("b"), "b"), cv, d, s);
        }
    }

    /** The sets in instance order (index 0 = i=1), or an INVALID result. */
    public static Object collect(RawMessage message) {
        List<RawMessage.Field> seals = message.fields("ARC-Seal");
        List<RawMessage.Field> sigs = message.fields("ARC-Message-Signature");
        List<RawMessage.Field> results = message.fields("ARC-Authentication-Results");
        if (seals.isEmpty() && sigs.isEmpty() && results.isEmpty()) {
            return ArcResult.none();
        }
        int n = seals.size();
        if (n > MAX_INSTANCES || sigs.size() != n || results.size() != n) {
            return new ArcResult(ArcResult.Outcome.INVALID, n, null, null, "incomplete ARC sets");
        }
        RawMessage.Field[][] byInstance = new RawMessage.Field[n][3];
        List<List<RawMessage.Field>> kinds = List.of(seals, sigs, results);
        for (int k = 0; k < 3; k++) {
            for (RawMessage.Field f : kinds.get(k)) {
                int i = instanceOf(f.value());
                if (i < 1 || i > n || byInstance[i - 1][k] != null) {
                    return new ArcResult(ArcResult.Outcome.INVALID, n, null, null, "ARC instances with gaps or duplicates");
                }
                byInstance[i - 1][k] = f;
            }
        }
        List<ArcSet> sets = new ArrayList<>(n);
        for (RawMessage.Field[] s : byInstance) {
            sets.add(new ArcSet(s[0], s[1], s[2]));
        }
        return sets;
    }

    /** i= of an ARC field, or -1. */
    static int instanceOf(String value) {
        for (String part : value.split(";")) {
            String p = part.strip();
            if (p.startsWith("i=") || p.startsWith("i =")) {
                String v = p.substring(p.indexOf('=') + 1).strip();
                try {
                    return DkimSignature.ArcInstance.parse(v);
                } catch (TagList.MalformedTagsException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    public static CompletableFuture<ArcResult> verify(HeaderHashInput input, AuthDns dns) {
        Object c = collect(input.message());
        if (c instanceof ArcResult r) {
            return CompletableFuture.completedFuture(r);
        }
        List<ArcSet> sets = (List<ArcSet>) c;
        int n = sets.size();
        List<Seal> seals = new ArrayList<>(n);
        DkimSignature ams;
        try {
            for (ArcSet s : sets) {
                seals.add(Seal.parse(s.seal().value()));
            }
            ams = DkimSignature.parse(sets.get(n - 1).signature().value(), true);
        } catch (TagList.MalformedTagsException e) {
            return done(ArcResult.Outcome.INVALID, n, null, "bad ARC header: " + e.getMessage());
        }
        Seal latest = seals.get(n - 1);
        if (latest.cv().equals("fail")) {
            return done(ArcResult.Outcome.REJECT, n, latest, "the chain was already broken (cv=fail)");
        }
        for (Seal s : seals) {
            if (!s.cv().equals(s.instance() == 1 ? "none" : "pass")) {
                return done(ArcResult.Outcome.INVALID, n, latest, "bad cv= in seal " + s.instance());
            }
        }
        Map<String, CompletableFuture<AuthDns.Answer>> keys = new HashMap<>();
        keys.computeIfAbsent(ams.selector() + "._domainkey." + ams.domain(), dns::txt);
        for (Seal s : seals) {
            keys.computeIfAbsent(s.selector() + "._domainkey." + s.domain(), dns::txt);
        }
        return CompletableFuture.allOf(keys.values().toArray(CompletableFuture[]::new))
                .thenApply(v -> check(input, sets, seals, ams, keys));
    }

    private static ArcResult check(HeaderHashInput input, List<ArcSet> sets, List<Seal> seals, DkimSignature ams,
                                   Map<String, CompletableFuture<AuthDns.Answer>> keys) {
        int n = sets.size();
        Seal latest = seals.get(n - 1);
        Object amsKey = key(keys, ams.selector(), ams.domain());
        if (amsKey instanceof ArcResult.Outcome o) {
            return new ArcResult(o, n, latest.domain(), latest.selector(), "ARC-Message-Signature key unusable");
        }
        DkimResult r = DkimVerifier.verifyWithKey(input, sets.get(n - 1).signature().text(), ams, (DkimKeyRecord) amsKey);
        if (r.status() != DkimResult.Status.PASS) {
            return new ArcResult(ArcResult.Outcome.REJECT, n, latest.domain(), latest.selector(),
                    "ARC-Message-Signature " + n + ": " + r.reason());
        }
        for (int i = n; i >= 1; i--) {
            Seal s = seals.get(i - 1);
            Object k = key(keys, s.selector(), s.domain());
            if (k instanceof ArcResult.Outcome o) {
                return new ArcResult(o, n, latest.domain(), latest.selector(), "ARC-Seal " + i + " key unusable");
            }
            DkimKeyRecord key = (DkimKeyRecord) k;
            if (!key.type().equals(s.algorithm().startsWith("ed25519") ? "ed25519" : "rsa")
                    || !DkimCrypto.verify(key.key(), "SHA-256", sealInput(sets, i, null), s.b())) {
                return new ArcResult(ArcResult.Outcome.REJECT, n, latest.domain(), latest.selector(),
                        "ARC-Seal " + i + " did not verify");
            }
        }
        return new ArcResult(ArcResult.Outcome.PASS, n, latest.domain(), latest.selector(), null);
    }

    /**
     * What ARC-Seal {@code upTo} signs: every set 1..upTo as AAR, AMS, AS (relaxed), the last seal without its b=
     * value and without the final CRLF. {@code newSeal} replaces set upTo's seal text when sealing.
     */
    public static byte[] sealInput(List<ArcSet> sets, int upTo, String newSeal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Canonicalization c = Canonicalization.RELAXED;
        for (int i = 0; i < upTo; i++) {
            ArcSet s = sets.get(i);
            out.writeBytes(c.header(s.results().text()).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(c.header(s.signature().text()).getBytes(StandardCharsets.ISO_8859_1));
            String seal = i == upTo - 1 && newSeal != null ? newSeal : s.seal().text();
            String canon = c.header(i == upTo - 1 ? HeaderHashInput.withoutSignatureValue(seal) : seal);
            if (i == upTo - 1) {
                canon = canon.substring(0, canon.length() - 2);
            }
            out.writeBytes(canon.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    /** The key record, or the outcome its lookup gives (TEMPFAIL / REJECT). */
    private static Object key(Map<String, CompletableFuture<AuthDns.Answer>> keys, String selector, String domain) {
        AuthDns.Answer a = keys.get(selector + "._domainkey." + domain).join();
        if (a.status() == AuthDns.Status.TEMPFAIL) {
            return ArcResult.Outcome.TEMPFAIL;
        }
        if (a.records().isEmpty()) {
            return ArcResult.Outcome.REJECT;
        }
        try {
            return DkimKeyRecord.parseCached(a.records().get(0));
        } catch (DkimKeyRecord.KeyException e) {
            return ArcResult.Outcome.REJECT;
        }
    }

    private static CompletableFuture<ArcResult> done(ArcResult.Outcome o, int n, Seal latest, String reason) {
        return CompletableFuture.completedFuture(new ArcResult(o, n, latest == null ? null : latest.domain(),
                latest == null ? null : latest.selector(), reason));
    }
}
