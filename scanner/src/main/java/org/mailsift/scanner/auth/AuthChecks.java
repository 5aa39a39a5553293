package org.mailsift.scanner.auth;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.mailsift.scanner.auth.arc.ArcResult;
import org.mailsift.scanner.auth.arc.ArcVerifier;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.dkim.DkimVerifier;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;
import org.mailsift.scanner.auth.dmarc.DmarcChecker;
import org.mailsift.scanner.auth.dmarc.DmarcResult;
import org.mailsift.scanner.auth.spf.SpfChecker;
import org.mailsift.scanner.auth.spf.SpfResult;

/**
 * Runs SPF, DKIM, ARC and DMARC for one message: DKIM key, ARC key and DMARC record lookups all go out first, SPF
 * walks its record meanwhile, then DMARC combines. Blocking waits only on futures the resolver completes by the
 * message's DNS deadline; call it on a virtual thread.
 *
 * @param dkim  null when DKIM was not checked
 * @param arc   null when ARC was not checked
 * @param spf   null when SPF was not checked (or had nothing to check)
 * @param dmarc null when DMARC was not checked
 */
public record AuthChecks(List<DkimResult> dkim, ArcResult arc, SpfResult spf, DmarcResult dmarc) {

    /** What one message offers to check. */
    public record Subject(byte[] raw, String clientIp, String helo, String mailFrom, String fromDomain) {
    }

    public static AuthChecks run(Subject s, AuthDns dns, AuthSettings settings, boolean skipSenderChecks, long nowSeconds) {
        HeaderHashInput input = new HeaderHashInput(RawMessage.parse(s.raw()));
        CompletableFuture<List<DkimResult>> dkim = settings.dkimEnabled()
                ? DkimVerifier.verify(input, dns, nowSeconds) : CompletableFuture.completedFuture(null);
        CompletableFuture<ArcResult> arc = settings.arcEnabled()
                ? ArcVerifier.verify(input, dns) : CompletableFuture.completedFuture(null);
        boolean dmarcOn = settings.dmarcEnabled() && !skipSenderChecks && s.fromDomain() != null;
        CompletableFuture<DmarcChecker.Discovery> dmarcRecord = dmarcOn
                ? DmarcChecker.discover(dns, s.fromDomain()) : CompletableFuture.completedFuture(null);
        SpfResult spf = settings.spfEnabled() && !skipSenderChecks
                ? SpfChecker.check(dns, s.clientIp(), s.mailFrom(), s.helo()) : null;
        List<DkimResult> dkimResults = dkim.join();
        DmarcResult dmarc = null;
        if (dmarcOn) {
            dmarc = DmarcChecker.evaluate(s.fromDomain(), dmarcRecord.join(), spf,
                    dkimResults == null ? List.of() : dkimResults, () -> ThreadLocalRandom.current().nextInt(100));
        } else if (settings.dmarcEnabled() && !skipSenderChecks) {
            dmarc = new DmarcResult(DmarcResult.Outcome.NONE, null, null, "no From domain", false);
        }
        return new AuthChecks(dkimResults, arc.join(), spf, dmarc);
    }

    /** The domain of the first From address, lower case, or null. */
    public static String fromDomain(String addr) {
        if (addr == null) {
            return null;
        }
        int at = addr.lastIndexOf('@');
        if (at < 0 || at == addr.length() - 1) {
            return null;
        }
        String d = addr.substring(at + 1).toLowerCase(Locale.ROOT);
        if (d.startsWith("[")) {
            return null; // an address literal (user@[192.0.2.1]) is no domain: DMARC has nothing to look up
        }
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
