package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GuardedRegexTest {
    private static int count(String pattern, String flags, String text) {
        return new GuardedRegex(PerlRegex.compile(pattern, flags)).count(text, 100);
    }

    @Test
    void bothEnginesGiveRe2sAnswer() {
        List<String[]> cases = List.of(
                new String[] {"end$", "", "the end\n"}, new String[] {"end$", "m", "the end\nmore"},
                new String[] {"a\\sb", "", "a\u000bb"}, new String[] {"a\\sb", "", "a\tb"},
                new String[] {"[\\s,]x", "", ",x \u000bx"}, new String[] {"STRASSE", "i", "stra\u017f\u017fe"},
                new String[] {"\\bword\\b", "", "a word, sword"}, new String[] {"a.b", "", "a\rb a\nb"},
                new String[] {"a.b", "s", "a\nb"}, new String[] {"[]a]+", "", "]a]"}, new String[] {"x{2,}", "", "xxx x"});
        for (String[] c : cases) {
            int re2 = 0;
            com.google.re2j.Matcher m = PerlRegex.compile(c[0], c[1]).matcher(c[2]);
            while (m.find()) {
                re2++;
            }
            assertThat(count(c[0], c[1], c[2])).as("/%s/%s on %s", c[0], c[1], c[2]).isEqualTo(re2);
        }
    }

    @Test
    void matchingOnlyTheRegionsAroundALiteralFindsEveryMatch() {
        String text = "Dear friend,\nclick HERE now or click below\nnothing here\n^start click here$\nCLICK  here"
                + " clickhere click here click here";
        for (String[] c : List.of(new String[] {"click (here|below)", "i"}, new String[] {"^dear", "im"},
                new String[] {"^dear", "i"}, new String[] {"here$", "i"}, new String[] {"\\bclick\\b", ""},
                new String[] {"click\\s+here", "i"}, new String[] {"now.*below", ""}, new String[] {"\\bclick \\w{4}\\b", "i"},
                new String[] {"(?:click|here) ?(?:click|here)", "i"}, new String[] {"e\\sc", ""})) {
            com.google.re2j.Pattern re2 = PerlRegex.compile(c[0], c[1]);
            GuardedRegex g = new GuardedRegex(re2);
            java.util.Set<String> lits = g.literals();
            int all = g.count(text, 100);
            int[] regions = lits == null ? null : new LiteralAutomaton(List.of(lits), new int[] {g.reach()}).scan(text)[0];
            int lines = lits == null ? all : regions == null ? 0 : g.countIn(text, regions, 100);
            assertThat(lines).as("/%s/%s", c[0], c[1]).isEqualTo(all);
        }
    }

    @Test
    void catastrophicBacktrackingFallsBackToRe2() {
        String text = "a".repeat(30_000) + "!";
        GuardedRegex evil = new GuardedRegex(PerlRegex.compile("(a|aa)+$", ""));
        assertThat(evil.hasFastPath()).isTrue();
        assertThat(evil.count(text, 1)).isZero();
        assertThat(new GuardedRegex(PerlRegex.compile("(a|aa)+!$", "")).count(text, 1)).isEqualTo(1);
    }
}
