package org.mailsift.scanner.auth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.scanner.auth.AuthDns;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.spf.SpfResult;

/** DMARC (RFC 7489 sections 6.6.2 and 6.6.3): record discovery, SPF/DKIM identifier alignment, p / sp / pct. */
public final class DmarcChecker {
    private DmarcChecker() {
    }

    /** Finds the record: at _dmarc.FROM-DOMAIN, else at _dmarc.ORG-DOMAIN. */
    public static CompletableFuture<Discovery> discover(AuthDns dns, String fromDomain) {
        // the first lookup goes out before the Public Suffix List is consulted (its first use loads it)
        return dns.txt("_dmarc." + fromDomain).thenCompose(a -> {
            Discovery d = Discovery.of(a, fromDomain, false);
            if (d.status != AuthDns.Status.NONE) {
                return CompletableFuture.completedFuture(d);
            }
            String org = PublicSuffix.organizationalDomain(fromDomain);
            if (org.equals(fromDomain)) {
                return CompletableFuture.completedFuture(d);
            }
            return dns.txt("_dmarc." + org).thenApply(b -> Discovery.of(b, org, true));
        });
    }

    /**
     * What the lookup found.
     * @param records  the TXT strings that are DMARC records
     * @param atOrganizationalDomain whether found at the organizational domain (sp= applies)
     */
    public record Discovery(AuthDns.Status status, List<String> records, String domain, boolean atOrganizationalDomain) {
        static Discovery of(AuthDns.Answer a, String domain, boolean org) {
            if (a.status() == AuthDns.Status.TEMPFAIL) {
                return new Discovery(AuthDns.Status.TEMPFAIL, List.of(), domain, org);
            }
            List<String> dmarc = new ArrayList<>();
            for (String r : a.records()) {
                if (DmarcRecord.isDmarc(r)) {
                    dmarc.add(r);
                }
            }
            return new Discovery(dmarc.isEmpty() ? AuthDns.Status.NONE : AuthDns.Status.OK, dmarc, domain, org);
        }
    }

    /**
     * @param spf          SPF of MAIL FROM (or HELO for the null sender), or null when not checked
     * @param dkim         every DKIM signature's outcome
     * @param percentRoll  0..99 for pct sampling
     */
    public static DmarcResult evaluate(String fromDomain, Discovery found, SpfResult spf, List<DkimResult> dkim,
                                       IntSupplier percentRoll) {
        if (found.status() == AuthDns.Status.TEMPFAIL) {
            return new DmarcResult(DmarcResult.Outcome.TEMPERROR, fromDomain, null, "DNS error", false);
        }
        if (found.status() == AuthDns.Status.NONE) {
            return new DmarcResult(DmarcResult.Outcome.NONE, fromDomain, null, null, false);
        }
        if (found.records().size() > 1) {
            return new DmarcResult(DmarcResult.Outcome.PERMERROR, fromDomain, null, "more than one DMARC record", false);
        }
        DmarcRecord record;
        try {
            record = DmarcRecord.parse(found.records().get(0));
        } catch (DmarcRecord.BadRecordException e) {
            return new DmarcResult(DmarcResult.Outcome.PERMERROR, fromDomain, null, e.getMessage(), false);
        }
        DmarcRecord.Policy policy = found.atOrganizationalDomain() ? record.subdomainPolicy() : record.policy();
        boolean spfAligned = spf != null && spf.result() == SpfResult.Result.PASS
                && aligned(spf.domain(), fromDomain, record.strictSpf());
        boolean dkimAligned = false;
        boolean dkimTemp = false;
        for (DkimResult r : dkim) {
            if (aligned(r.domain(), fromDomain, record.strictDkim())) {
                if (r.status() == DkimResult.Status.PASS) {
                    dkimAligned = true;
                } else if (r.status() == DkimResult.Status.TEMPFAIL) {
                    dkimTemp = true;
                }
            }
        }
        if (spfAligned || dkimAligned) {
            return new DmarcResult(DmarcResult.Outcome.PASS, fromDomain, policy, null, false);
        }
        boolean spfTemp = spf != null && spf.result() == SpfResult.Result.TEMPERROR;
        if (spfTemp || dkimTemp) {
            return new DmarcResult(DmarcResult.Outcome.TEMPERROR, fromDomain, policy,
                    spfTemp ? "SPF DNS error" : "DKIM DNS error", false);
        }
        String reason = reason(spf, dkim, fromDomain, record);
        boolean sampledOut = record.pct() < 100 && percentRoll.getAsInt() >= record.pct();
        return new DmarcResult(DmarcResult.Outcome.FAIL, fromDomain, policy, reason, sampledOut);
    }

    /** Relaxed alignment: same organizational domain; strict: same name. */
    static boolean aligned(String a, String b, boolean strict) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return strict ? x.equals(y) : PublicSuffix.organizationalDomain(x).equals(PublicSuffix.organizationalDomain(y));
    }

    /** Rspamd's wording: "No valid SPF, No valid DKIM", "SPF not aligned (relaxed), DKIM not aligned (strict)". */
    private static String reason(SpfResult spf, List<DkimResult> dkim, String from, DmarcRecord record) {
        String s = spf == null || spf.result() != SpfResult.Result.PASS ? "No valid SPF"
                : "SPF not aligned (" + (record.strictSpf() ? "strict" : "relaxed") + ")";
        boolean anyPass = dkim.stream().anyMatch(r -> r.status() == DkimResult.Status.PASS);
        String d = anyPass ? "DKIM not aligned (" + (record.strictDkim() ? "strict" : "relaxed") + ")" : "No valid DKIM";
        return s + ", " + d;
    }
}
