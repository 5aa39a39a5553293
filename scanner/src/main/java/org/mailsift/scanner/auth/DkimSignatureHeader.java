package org.mailsift.scanner.auth;

import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.auth.dkim.DkimSigning;
import org.mailsift.scanner.settings.CidrSet;

/**
 * Signs outgoing mail (dkim_signing.conf): after the verdict's own edits, so the signature covers the message as the
 * MTA will send it (a rewritten Subject included); the DKIM-Signature goes on top.
 */
public final class DkimSignatureHeader implements HeaderContributor {
    private final DkimSigning signing;
    private final CidrSet localAddrs;

    public DkimSignatureHeader(DkimSigning signing, CidrSet localAddrs) {
        this.signing = signing;
        this.localAddrs = localAddrs;
    }

    @Override
    public List<HeaderChange> headerChanges(byte[] raw, ParsedMessage message, Envelope envelope, ScanResult verdict) {
        boolean local = localAddrs.contains(envelope.clientIp());
        if (!signing.settings().enabled() || !local && !envelope.isAuthenticated() && !signing.settings().signInbound()) {
            return List.of(); // the common case (inbound mail) costs nothing
        }
        RawMessage finalMessage = RawMessage.parse(HeaderRewriter.apply(raw, verdict.headerChanges()));
        DkimSigning.Signer signer = signing.signerFor(finalMessage, envelope, local);
        if (signer == null) {
            return List.of();
        }
        String value = signing.sign(finalMessage, signer, System.currentTimeMillis() / 1000);
        return value == null ? List.of() : List.of(HeaderChange.insert("DKIM-Signature", value, 0));
    }
}
