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

    @Test
    void theChecksBeforeRe2jNeverRefuseAValueItMatches() {
        // short literals ('$'), runs of a class ([A-Z]{12,}), case-insensitive literals and folded patterns on values
        // holding U+017F, U+0130 or the Kelvin sign (they fold to s, i, k): against RE2/J alone
        String[] patterns = {"/\\$\\d{3,}/", "/[A-Z]{12,}/", "/unsubscribe\\s+here/i", "/this\\s+is\\s+not\\s+spam/i",
            "/wire\\s+transfer/i", "/viagra/i", "/ADV:/", "/kiss\\W+k/i", "/\\bfree\\s+(money|gift|trial)\\b/i",
            "/(?i)urgent.{0,20}(reply|response)/", "/x[0-9]{4,}y/i", "/%\\s+off/i"};
        String alphabet = "aAbBeEfFhHiIkKnNoOpPrRsStTuUwWxXyY $%:0123456789 \n\u017f\u0130\u212a\u00e9\u00c9";
        String[] words = {"unsubscribe", "HERE", "this is not SPAM", "Wire Transfer", "viagra", "ADV:", "free gift",
            "urgent: please reply", "$1000", "ABCDEFGHIJKLMNOP", "\u017fpam", "\u212aiss - k", "x12345Y", "50% off"};
        java.util.List<Regex> compiled = java.util.Arrays.stream(patterns).map(p -> Regex.of(RspamdRegex.compile(p)))
                .toList();
        java.util.Random random = new java.util.Random(17);
        for (int round = 0; round < 1500; round++) {
            StringBuilder v = new StringBuilder();
            int length = random.nextInt(round % 2 == 0 ? 40 : 900);
            while (v.length() < length) {
                if (random.nextInt(8) == 0) {
                    v.append(words[random.nextInt(words.length)]);
                } else {
                    v.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String value = v.toString();
            for (Regex r : compiled) {
                assertThat(r.find(value, new Regex.Lower())).as(r.pattern() + " on " + value)
                        .isEqualTo(r.pattern().matcher(value).find());
            }
        }
        assertThat(Regex.of(RspamdRegex.compile("/\\$\\d{3,}/")).literals()).containsExactly("$");
        assertThat(Regex.of(RspamdRegex.compile("/[A-Z]{12,}/")).run()).isNotNull();
    }
}
