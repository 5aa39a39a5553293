package org.mailsift.scanner.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.scanner.auth.MapAuthDns;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.spf.SpfResult;

class DmarcCheckerTest {
    static final DkimResult DKIM_PASS = new DkimResult(DkimResult.Status.PASS, "mail.example.com", "s1", "abcd", null);
    static final SpfResult SPF_PASS_OTHER = new SpfResult(SpfResult.Result.PASS, "b@bounce.other.example", "bounce.other.example", false, "ip4");
    static final SpfResult SPF_PASS_SUB = new SpfResult(SpfResult.Result.PASS, "b@bounces.example.com", "bounces.example.com", false, "ip4");

    static DmarcResult run(MapAuthDns dns, String from, SpfResult spf, List<DkimResult> dkim) {
        return DmarcChecker.evaluate(from, DmarcChecker.discover(dns, from).join(), spf, dkim, () -> 0);
    }

    @Test
    void relaxedAlignmentUsesTheOrganizationalDomain() {
        MapAuthDns dns = new MapAuthDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertThat(run(dns, "example.com", null, List.of(DKIM_PASS)).symbol()).isEqualTo("DMARC_POLICY_ALLOW");
        assertThat(run(dns, "example.com", SPF_PASS_SUB, List.of()).symbol()).isEqualTo("DMARC_POLICY_ALLOW");
        DmarcResult fail = run(dns, "example.com", SPF_PASS_OTHER, List.of());
        assertThat(fail.symbol()).isEqualTo("DMARC_POLICY_REJECT");
        assertThat(fail.reason()).isEqualTo("SPF not aligned (relaxed), No valid DKIM");
    }

    @Test
    void strictAlignmentNeedsTheSameName() {
        MapAuthDns dns = new MapAuthDns().txt("_dmarc.example.com", "v=DMARC1; p=quarantine; adkim=s; aspf=s");
        assertThat(run(dns, "example.com", SPF_PASS_SUB, List.of(DKIM_PASS)).symbol()).isEqualTo("DMARC_POLICY_QUARANTINE");
    }

    @Test
    void aSubdomainWithoutItsOwnRecordGetsSp() {
        MapAuthDns dns = new MapAuthDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none");
        DmarcResult r = run(dns, "news.example.com", null, List.of());
        assertThat(r.policy()).isEqualTo(DmarcRecord.Policy.NONE);
        assertThat(r.symbol()).isEqualTo("DMARC_POLICY_SOFTFAIL");
    }

    @Test
    void thePublicSuffixListKnowsMultiLabelSuffixes() {
        assertThat(PublicSuffix.organizationalDomain("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(PublicSuffix.organizationalDomain("a.b.example.com")).isEqualTo("example.com");
        assertThat(PublicSuffix.organizationalDomain("user.github.io")).isEqualTo("user.github.io");
        assertThat(PublicSuffix.organizationalDomain("Mail.Example.COM.")).isEqualTo("example.com");
        assertThat(PublicSuffix.organizationalDomain("co.uk")).isEqualTo("co.uk");
        assertThat(PublicSuffix.organizationalDomain("a.b.example.invalid")).isEqualTo("example.invalid");
    }

    @Test
    void pctSamplesOutToSoftfail() {
        MapAuthDns dns = new MapAuthDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=10");
        DmarcResult r = DmarcChecker.evaluate("example.com", DmarcChecker.discover(dns, "example.com").join(), null,
                List.of(), () -> 50);
        assertThat(r.sampledOut()).isTrue();
        assertThat(r.symbol()).isEqualTo("DMARC_POLICY_SOFTFAIL");
    }

    @Test
    void garbageRecordsAreBadPoliciesAndMissingOnesNa() {
        for (String bad : List.of("v=DMARC1; p=maybe", "v=DMARC1; pct=500; p=reject", "v=DMARC1; p", "v=DMARC1; p=reject; p=none",
                "v=DMARC1;; adkim=x; p=reject", "v=DMARC1; \u0000\u0001=; p=none")) {
            assertThat(run(new MapAuthDns().txt("_dmarc.example.com", bad), "example.com", null, List.of()).symbol())
                    .as(bad).isEqualTo("DMARC_BAD_POLICY");
        }
        assertThat(run(new MapAuthDns().txt("_dmarc.example.com", "v=spf1 -all"), "example.com", null, List.of()).symbol())
                .isEqualTo("DMARC_NA");
        assertThat(run(new MapAuthDns(), "example.com", null, List.of()).symbol()).isEqualTo("DMARC_NA");
        assertThat(run(new MapAuthDns().txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:x@example.com; foo=bar"),
                "example.com", null, List.of()).symbol()).isEqualTo("DMARC_POLICY_SOFTFAIL");
    }

    @Test
    void aDnsFailureIsDnsfail() {
        assertThat(run(new MapAuthDns().fail("_dmarc.example.com"), "example.com", null, List.of()).symbol())
                .isEqualTo("DMARC_DNSFAIL");
    }
}
