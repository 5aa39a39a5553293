package org.mailsift.scanner.auth;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.auth.arc.ArcVerifier;
import org.mailsift.scanner.auth.dkim.Canonicalization;
import org.mailsift.scanner.auth.dkim.DkimCrypto;
import org.mailsift.scanner.auth.dkim.DkimSigner;
import org.mailsift.scanner.auth.dkim.DkimSigning;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.scanner.auth.dkim.SignedHeaders;
import org.mailsift.scanner.settings.CidrSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARC sealing (RFC 8617 section 5.1, {@code arc.conf} with Rspamd's options): adds the next ARC set, the
 * ARC-Authentication-Results copied from this scan's Authentication-Results, an ARC-Message-Signature over the message
 * as the MTA will hold it, and an ARC-Seal whose cv= is what the ARC check found (none for the first set).
 * Runs after DKIM signing, as in Rspamd.
 */
public final class ArcSealHeaders implements HeaderContributor {
    private static final Logger LOG = LoggerFactory.getLogger(ArcSealHeaders.class);
    private final DkimSigning signing;
    private final CidrSet localAddrs;

    public ArcSealHeaders(DkimSigning signing, CidrSet localAddrs) {
        this.signing = signing;
        this.localAddrs = localAddrs;
    }

    @Override
    public List<HeaderChange> headerChanges(byte[] raw, ParsedMessage message, Envelope envelope, ScanResult verdict) {
        if (!signing.settings().enabled()) {
            return List.of();
        }
        String results = verdict.headerChanges().stream()
                .filter(c -> c.kind() == HeaderChange.Kind.ADD && c.name().equalsIgnoreCase("Authentication-Results"))
                .map(HeaderChange::value).reduce((a, b) -> b).orElse(null);
        boolean local = localAddrs.contains(envelope.clientIp());
        RawMessage finalMessage = RawMessage.parse(HeaderRewriter.apply(raw, verdict.headerChanges()));
        DkimSigning.Signer signer = signing.signerFor(finalMessage, envelope, local);
        if (signer == null) {
            return List.of();
        }
        Object existing = ArcVerifier.collect(finalMessage);
        @SuppressWarnings("unchecked")
        List<ArcVerifier.ArcSet> sets = existing instanceof List<?> l ? (List<ArcVerifier.ArcSet>) l : null;
        int instance = sets == null ? finalMessage.fields("ARC-Seal").size() + 1 : sets.size() + 1;
        if (instance > ArcVerifier.MAX_INSTANCES) {
            return List.of();
        }
        String cv = instance == 1 ? "none" : chainValidation(results);
        try {
            return seal(finalMessage, sets, instance, cv, results, signer, signing.settings().signHeaders(),
                    System.currentTimeMillis() / 1000);
        } catch (GeneralSecurityException e) {
            LOG.warn("ARC sealing as {} failed; message forwarded unsealed: {}", signer.domain(), e.getMessage());
            return List.of();
        }
    }

    /** The arc= result of our own Authentication-Results: "pass", else "fail" (a broken or unverifiable chain). */
    static String chainValidation(String results) {
        if (results == null) {
            return "fail";
        }
        String r = results.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return r.contains("arc=pass") ? "pass" : "fail";
    }

    static List<HeaderChange> seal(RawMessage message, List<ArcVerifier.ArcSet> sets, int instance, String cv,
                                   String results, DkimSigning.Signer signer, SignedHeaders signHeaders, long now)
            throws GeneralSecurityException {
        String alg = DkimCrypto.keyType(signer.key()).equals("rsa") ? "rsa-sha256" : "ed25519-sha256";
        String aar = "i=" + instance + "; " + (results == null ? signer.domain() + "; none" : results);
        // the AMS covers Rspamd's header list (arc.conf sign_headers, the same default as DKIM signing: arc.lua hands
        // its sealing to the DKIM signer), never ARC fields or trace results (RFC 8617 section 4.1.2)
        List<String> h = new ArrayList<>();
        for (String n : signHeaders.forMessage(message)) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("arc-") && !lower.equals("authentication-results") && !lower.equals("received")
                    && !lower.equals("return-path")) {
                h.add(n);
            }
        }
        List<String> amsTags = List.of("i=" + instance, "a=" + alg, "c=relaxed/relaxed", "d=" + signer.domain(),
                "s=" + signer.selector(), "t=" + now);
        String ams = DkimSigner.sealWith(new HeaderHashInput(message), amsTags, h, signer.key(), Canonicalization.RELAXED,
                Canonicalization.RELAXED, "ARC-Message-Signature");
        String asUnsigned = DkimSigner.fold(List.of("i=" + instance, "a=" + alg, "t=" + now, "cv=" + cv,
                "d=" + signer.domain(), "s=" + signer.selector())) + ";\r\n\tb=";
        List<ArcVerifier.ArcSet> chain = new ArrayList<>(sets == null ? List.of() : sets);
        RawMessage.Field aarField = new RawMessage.Field("ARC-Authentication-Results", "ARC-Authentication-Results: " + aar);
        RawMessage.Field amsField = new RawMessage.Field("ARC-Message-Signature", "ARC-Message-Signature: " + ams);
        RawMessage.Field asField = new RawMessage.Field("ARC-Seal", "ARC-Seal: " + asUnsigned);
        chain.add(new ArcVerifier.ArcSet(asField, amsField, aarField));
        byte[] data = ArcVerifier.sealInput(chain, chain.size(), null);
        String b = Base64.getEncoder().encodeToString(DkimCrypto.sign(signer.key(), "SHA-256", data));
        StringBuilder folded = new StringBuilder();
        for (int i = 0; i < b.length(); i += 70) {
            folded.append(i == 0 ? "" : "\r\n\t").append(b, i, Math.min(b.length(), i + 70));
        }
        // inserted at the top in this order, they read AS, AMS, AAR from the top, as RFC 8617 shows them
        return List.of(HeaderChange.insert("ARC-Authentication-Results", aar, 0),
                HeaderChange.insert("ARC-Message-Signature", ams, 0),
                HeaderChange.insert("ARC-Seal", asUnsigned + folded, 0));
    }
}
