package org.mailsift.scanner.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailsift.scanner.auth.MapAuthDns;
import org.mailsift.scanner.auth.spf.SpfResult.Result;

class SpfCheckerTest {
    static Result check(MapAuthDns dns, String ip, String from) {
        return SpfChecker.check(dns, ip, from, "mx.sender.example").result();
    }

    @Test
    void aListedAddressPassesAndOthersGetTheAllQualifier() {
        MapAuthDns dns = new MapAuthDns().txt("example.com", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
        assertThat(check(dns, "192.0.2.7", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "2001:db8::25", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "198.51.100.1", "a@example.com")).isEqualTo(Result.FAIL);
        MapAuthDns soft = new MapAuthDns().txt("example.com", "v=spf1 ip4:192.0.2.1 ~all");
        assertThat(check(soft, "198.51.100.1", "a@example.com")).isEqualTo(Result.SOFTFAIL);
        MapAuthDns neutral = new MapAuthDns().txt("example.com", "v=spf1 ip4:192.0.2.1");
        assertThat(check(neutral, "198.51.100.1", "a@example.com")).isEqualTo(Result.NEUTRAL);
    }

    @Test
    void aAndMxAndIncludeAndRedirectAreFollowed() {
        MapAuthDns dns = new MapAuthDns()
                .txt("example.com", "v=spf1 a mx:mail.example.com/28 include:_spf.provider.example redirect=_rest.example.com")
                .a("example.com", "192.0.2.10")
                .mx("mail.example.com", "mx1.example.com")
                .a("mx1.example.com", "198.51.100.17")
                .txt("_spf.provider.example", "v=spf1 ip4:203.0.113.0/24 -all")
                .txt("_rest.example.com", "v=spf1 ip4:192.0.2.99 -all");
        assertThat(check(dns, "192.0.2.10", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "198.51.100.20", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "203.0.113.5", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "192.0.2.99", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "192.0.2.98", "a@example.com")).isEqualTo(Result.FAIL);
    }

    @Test
    void theNullSenderIsCheckedByHelo() {
        MapAuthDns dns = new MapAuthDns().txt("mx.sender.example", "v=spf1 ip4:192.0.2.5 -all");
        SpfResult r = SpfChecker.check(dns, "192.0.2.5", "", "mx.sender.example");
        assertThat(r.result()).isEqualTo(Result.PASS);
        assertThat(r.helo()).isTrue();
        assertThat(r.identity()).isEqualTo("postmaster@mx.sender.example");
    }

    @Test
    void macrosExpand() {
        MapAuthDns dns = new MapAuthDns().txt("example.com", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all")
                .a("5.2.0.192.a._spf.example.com", "127.0.0.2");
        assertThat(check(dns, "192.0.2.5", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(dns, "192.0.2.6", "a@example.com")).isEqualTo(Result.FAIL);
    }

    @Test
    void noRecordIsNoneAndADnsFailureIsTemperror() {
        assertThat(check(new MapAuthDns(), "192.0.2.5", "a@example.com")).isEqualTo(Result.NONE);
        assertThat(check(new MapAuthDns().fail("example.com"), "192.0.2.5", "a@example.com")).isEqualTo(Result.TEMPERROR);
    }

    @Test
    void includeLoopsDeepChainsAndTooManyLookupsArePermerrorsInBoundedWork() {
        MapAuthDns loop = new MapAuthDns().txt("example.com", "v=spf1 include:loop.example.com -all")
                .txt("loop.example.com", "v=spf1 include:example.com -all");
        assertThat(check(loop, "192.0.2.5", "a@example.com")).isEqualTo(Result.PERMERROR);
        assertThat(loop.queries.get()).isLessThanOrEqualTo(12);

        MapAuthDns deep = new MapAuthDns();
        for (int i = 0; i < 30; i++) {
            deep.txt("d" + i + ".example.com", "v=spf1 include:d" + (i + 1) + ".example.com -all");
        }
        assertThat(check(deep, "192.0.2.5", "a@d0.example.com")).isEqualTo(Result.PERMERROR);
        assertThat(deep.queries.get()).isLessThanOrEqualTo(12);

        StringBuilder many = new StringBuilder("v=spf1");
        for (int i = 0; i < 20; i++) {
            many.append(" a:h").append(i).append(".example.com");
        }
        MapAuthDns wide = new MapAuthDns().txt("example.com", many + " -all");
        for (int i = 0; i < 20; i++) {
            wide.a("h" + i + ".example.com", "198.51.100." + i);
        }
        assertThat(check(wide, "192.0.2.5", "a@example.com")).isEqualTo(Result.PERMERROR);
    }

    /** {@code n} a: mechanisms h1..hn, the last listing 192.0.2.5 when {@code lastMatches}, then {@code tail}. */
    static MapAuthDns aMechanisms(String name, int n, boolean lastMatches, String tail) {
        StringBuilder r = new StringBuilder("v=spf1");
        MapAuthDns dns = new MapAuthDns();
        for (int i = 1; i <= n; i++) {
            r.append(" a:h").append(i).append(".example.com");
            dns.a("h" + i + ".example.com", lastMatches && i == n ? "192.0.2.5" : "198.51.100." + i);
        }
        return dns.txt(name, r + " " + tail);
    }

    @Test
    void theTenthLookupIsStillMadeAndTheEleventhIsAPermerror() {
        assertThat(check(aMechanisms("example.com", 10, true, "-all"), "192.0.2.5", "a@example.com")).isEqualTo(Result.PASS);
        assertThat(check(aMechanisms("example.com", 11, true, "-all"), "192.0.2.5", "a@example.com")).isEqualTo(Result.PERMERROR);
        // include: and redirect= count too: 9 a: and an include: whose record lists the address make 10
        MapAuthDns tenWithInclude = aMechanisms("example.com", 9, false, "include:inc.example.com -all")
                .txt("inc.example.com", "v=spf1 ip4:192.0.2.5 -all");
        assertThat(check(tenWithInclude, "192.0.2.5", "a@example.com")).isEqualTo(Result.PASS);
        MapAuthDns elevenWithRedirect = aMechanisms("i1.example.com", 9, false, "?all")
                .txt("example.com", "v=spf1 include:i1.example.com redirect=r.example.com")
                .txt("r.example.com", "v=spf1 ip4:192.0.2.5 -all");
        assertThat(check(elevenWithRedirect, "192.0.2.5", "a@example.com")).as("include + 9 a: + redirect = 11")
                .isEqualTo(Result.PERMERROR);
    }

    @Test
    void twoVoidLookupsAreAllowed() {
        MapAuthDns dns = new MapAuthDns().txt("example.com", "v=spf1 a:n1.example.com a:n2.example.com a:h.example.com -all")
                .a("h.example.com", "192.0.2.5");
        assertThat(check(dns, "192.0.2.5", "a@example.com")).isEqualTo(Result.PASS);
    }

    @Test
    void voidLookupsBeyondTwoArePermerrors() {
        MapAuthDns dns = new MapAuthDns().txt("example.com", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com -all");
        assertThat(check(dns, "192.0.2.5", "a@example.com")).isEqualTo(Result.PERMERROR);
    }

    @Test
    void malformedRecordsArePermerrors() {
        assertThat(check(new MapAuthDns().txt("example.com", "v=spf1 ip4:192.0.2.1", "v=spf1 -all"), "192.0.2.5",
                "a@example.com")).isEqualTo(Result.PERMERROR);
        assertThat(check(new MapAuthDns().txt("example.com", "v=spf1 ip4:999.1.1.1 -all"), "192.0.2.5", "a@example.com"))
                .isEqualTo(Result.PERMERROR);
        assertThat(check(new MapAuthDns().txt("example.com", "v=spf1 frobnicate -all"), "192.0.2.5", "a@example.com"))
                .isEqualTo(Result.PERMERROR);
        assertThat(check(new MapAuthDns().txt("example.com", "v=spf1 ip4:192.0.2.1 " + "x".repeat(65_000)), "192.0.2.5",
                "a@example.com")).isEqualTo(Result.PERMERROR);
        assertThat(check(new MapAuthDns().txt("example.com", "v=spf1 exists:%{z}.example.com -all"), "192.0.2.5",
                "a@example.com")).isEqualTo(Result.PERMERROR);
    }

    @Test
    void nothingToCheckWithoutAClientAddress() {
        assertThat(SpfChecker.check(new MapAuthDns(), null, "a@example.com", "x")).isNull();
        assertThat(SpfChecker.check(new MapAuthDns(), "not-an-ip", "a@example.com", "x")).isNull();
    }
}
