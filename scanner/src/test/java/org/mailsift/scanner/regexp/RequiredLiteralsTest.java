package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.google.re2j.Pattern;

import org.junit.jupiter.api.Test;

class RequiredLiteralsTest {
    @Test
    void findsTheLiteralsEveryMatchNeeds() {
        assertThat(RequiredLiterals.of("\\b(viagra|cialis|levitra)\\b")).containsExactlyInAnyOrder("viagra", "cialis", "levitra");
        assertThat(RequiredLiterals.of("click (here|below)")).containsExactlyInAnyOrder("click here", "click below");
        assertThat(RequiredLiterals.of("\\b(million|billion) (dollars|usd|euros?)\\b")).containsExactlyInAnyOrder("million ", "billion ");
        assertThat(RequiredLiterals.of("XJS\\*C4JDBQADN1\\.NSBN3")).containsExactly("xjs*c4jdbqadn1.nsbn3");
        assertThat(RequiredLiterals.of("unsubscribe|opt[ -]?out|remove me")).containsExactlyInAnyOrder("unsubscribe", "opt", "remove me");
        assertThat(RequiredLiterals.of("(?i)foo(?:bar)+")).containsExactly("foo");
        assertThat(RequiredLiterals.of("ab{2,}c")).isNotNull();
    }

    @Test
    void givesUpRatherThanGuess() {
        assertThat(RequiredLiterals.of("[A-Z ]{60,}")).isNull();
        assertThat(RequiredLiterals.of("a|")).isNull();
        assertThat(RequiredLiterals.of("(foo)?bar?")).containsExactly("b");
        assertThat(RequiredLiterals.of("x*")).isNull();
        assertThat(RequiredLiterals.of("\\x41bc")).isNull();
        assertThat(RequiredLiterals.of("caf\u00e9")).isNull();
        assertThat(RequiredLiterals.of("(?P<n>abc)")).containsExactly("abc");
    }

    @Test
    void aTextTheRegexpMatchesAlwaysPassesThePrefilter() {
        List<String> patterns = List.of("(?i)\\bviagra\\b", "(?i)k+elvin", "(?i)long s", "click (here|below)",
                "a(b|c)d[xy]e", "^from: .*@example\\.(com|org)$", "(?i)(?:re|fwd?): urgent", "t{2}o+l");
        List<String> texts = List.of("Buy VIAGRA now", "\u212aelvin scale", "LONG \u017f", "Click here", "click below",
                "abdxe", "acdye", "from: me@example.org", "FWD: URGENT", "Re: urgent", "ttool", "toool");
        for (String p : patterns) {
            Set<String> lits = RequiredLiterals.of(p.replace("(?i)", ""));
            Pattern re = Pattern.compile(p);
            for (String t : texts) {
                if (re.matcher(t).find() && lits != null) {
                    String folded = RequiredLiterals.fold(t);
                    assertThat(lits.stream().anyMatch(folded::contains)).as("%s on %s with %s", p, t, lits).isTrue();
                }
            }
        }
    }
}
