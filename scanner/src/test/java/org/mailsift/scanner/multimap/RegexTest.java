package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The literal pre-check never refuses a value the regexp matches. */
class RegexTest {
    @Test
    void requiredLiteralIsTextEveryMatchContains() {
        assertThat(Regex.requiredLiteral("unsubscribe\\s+here")).isEqualTo("unsubscribe");
        assertThat(Regex.requiredLiteral("wire\\s+transfer")).isEqualTo("transfer");
        assertThat(Regex.requiredLiteral("colou?r\\.com")).isEqualTo("r.com");
        assertThat(Regex.requiredLiteral("abcd*e")).isEqualTo("abc");
        assertThat(Regex.requiredLiteral("(optional)?tail")).isEqualTo("tail");
        assertThat(Regex.requiredLiteral("price: \\$\\d{3,}")).isEqualTo("price: $");
        assertThat(Regex.requiredLiteral("[abc]wxyz{2}")).isEqualTo("wxy");
    }

    @Test
    void patternsTheScanCannotReadSafelyHaveNoLiteral() {
        assertThat(Regex.requiredLiteral("viagra|cialis")).isNull();
        assertThat(Regex.requiredLiteral("ab(?i)cdef")).isNull();
        assertThat(Regex.requiredLiteral("\\x41bcdef")).isNull();
        assertThat(Regex.requiredLiteral("a{x}bcdef")).isNull();
        assertThat(Regex.requiredLiteral("ab.cd")).isNull();
    }

    @Test
    void caseInsensitiveCheckFoldsAsRe2jDoes() {
        Regex r = Regex.of(RspamdRegex.compile("/spam\\s+offer/i"));
        assertThat(r.literal()).isEqualTo("offer");
        assertThat(r.find("Big SPAM   Offer today", new Regex.Lower())).isTrue();
        assertThat(r.find("\u017fpam OFFER", new Regex.Lower())).isTrue();
        assertThat(r.find("ham offer", new Regex.Lower())).isFalse();
        Regex sensitive = Regex.of(RspamdRegex.compile("/Wire transfer/"));
        assertThat(sensitive.find("wire transfer", new Regex.Lower())).isFalse();
        assertThat(sensitive.find("a Wire transfer", new Regex.Lower())).isTrue();
    }

    @Test
    void foldedCaseInsensitivePatternsAgreeWithRe2j() {
        String[] patterns = {"/unsubscribe\\s+HERE/i", "/\\bFree\\s+(money|gift)\\b/i", "/\\S+@\\S+\\.COM/i",
            "/^re:\\s*$/i", "/a.c/i", "/x\\W+y/i"};
        String[] values = {"Please UNSUBSCRIBE   here now", "free Gift", "mail Bob@Example.com today", "RE: ", "ABC",
            "X -- Y", "nothing", "\u017fubscribe", "Stra\u00dfe FREE MONEY", "\u0130 free gift"};
        for (String p : patterns) {
            Regex r = Regex.of(RspamdRegex.compile(p));
            assertThat(r.folded()).as(p).isNotNull();
            for (String v : values) {
                assertThat(r.find(v, new Regex.Lower())).as(p + " on " + v).isEqualTo(r.pattern().matcher(v).find());
                com.google.re2j.Matcher m = r.pattern().matcher(v);
                assertThat(r.first(v, 0)).as(p + " first on " + v).isEqualTo(m.find() ? m.group() : null);
            }
        }
        assertThat(Regex.of(RspamdRegex.compile("/[a-z]+/i")).folded()).isNull();
    }
}
