package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The shortcuts that spare most of a regexp's search give the plain search's answers: a required run of characters
 * (RequiredRun), matches tried only at the occurrences of a starting literal or at line starts, a case-sensitive
 * literal found with indexOf, SpamAssassin's joined lines copied a line at a time. Checked on random texts over a
 * small alphabet, where every shortcut's edge (a run one short, an occurrence inside the last match, a line break
 * before the literal) comes up many times.
 */
class MatchingShortcutsTest {
    private static final List<String[]> PATTERNS = List.of(
            new String[] {"[A-Z ]{6,}", ""}, new String[] {"\\b[13][a-z1-9]{4,6}\\b", ""},
            new String[] {"^[^a-z]{3,}$", ""}, new String[] {"x\\d{2,}y", "i"}, new String[] {"[ab]+c{3}", "i"},
            new String[] {"ab+a", ""}, new String[] {"<a[^>]+b=", "i"}, new String[] {"(ab|ba) ?c", "i"},
            new String[] {"^\\s*ab (c|ba)\\b", "im"}, new String[] {"^ab", "m"}, new String[] {"^a|^b", "m"},
            new String[] {"^(a|b)c", ""}, new String[] {"^A+", "i"}, new String[] {"ab\\s*c", "im"},
            new String[] {"aa", ""}, new String[] {"a[b ]a", ""}, new String[] {"ba?b", ""}, new String[] {"\\bab", ""},
            new String[] {"^Ab:\\s*c", "im"}, new String[] {"(?i)ab", ""}, new String[] {"a.b", ""},
            new String[] {"$$", ""}, new String[] {"(a|b)c?$", "i"}, new String[] {"ab\\$", ""},
            new String[] {"x[a-c]{3}|b$", ""}, new String[] {"[ab1 ]{5}", ""}, new String[] {"<[a-c]{4,6}>", "i"},
            new String[] {"(3|x)[abc ]{4}\\b", "i"});

    @Test
    void everyShortcutCountsTheMatchesThePlainSearchCounts() {
        Random random = new Random(17);
        String alphabet = "aAbBcC1 3x9<>=\n\t-\u212a$";
        for (String[] p : PATTERNS) {
            GuardedRegex g = new GuardedRegex(PerlRegex.compile(p[0], p[1]));
            for (int round = 0; round < 3000; round++) {
                String text = random(random, alphabet, random.nextInt(40));
                int plain = g.countEverywhere(text, 50);
                assertThat(g.count(text, 50)).as("/%s/%s on [%s]", p[0], p[1], text).isEqualTo(plain);
                assertThat(prefiltered(g, text)).as("/%s/%s prefiltered on [%s]", p[0], p[1], text).isEqualTo(plain);
            }
        }
    }

    /** As RegexpModule runs a regexp with literals: the automaton's (or indexOf's) regions, nothing without them. */
    private static int prefiltered(GuardedRegex g, String text) {
        Set<String> literals = g.literals();
        if (literals == null) {
            return g.count(text, 50);
        }
        int[] viaAutomaton = new LiteralAutomaton(List.of(literals), new int[] {g.reach()}).scan(text)[0];
        int n = viaAutomaton == null ? 0 : g.countIn(text, viaAutomaton, 50);
        if (g.exactLiteral() != null) {
            int[] viaIndexOf = Regions.ofLiteral(text, g.exactLiteral(), g.reach());
            assertThat(viaIndexOf == null ? 0 : g.countIn(text, viaIndexOf, 50)).as("indexOf's regions").isEqualTo(n);
        }
        return n;
    }

    @Test
    void theShortcutsAreTakenWhereTheyApply() {
        GuardedRegex shout = new GuardedRegex(PerlRegex.compile("[A-Z ]{60,}", ""));
        assertThat(shout.literals()).isNull();
        assertThat(RequiredRun.of(PerlRegex.compile("[A-Z ]{60,}", "")).length()).isEqualTo(60);
        assertThat(RequiredRun.of(PerlRegex.compile("\\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\\b", "")).length()).isEqualTo(26);
        assertThat(RequiredRun.of(PerlRegex.compile("a|[A-Z]{60}", ""))).isNull();
        assertThat(RequiredRun.of(PerlRegex.compile("(?i)[a-z]{9}", ""))).isNull();
        GuardedRegex font = new GuardedRegex(PerlRegex.compile("<font[^>]+size=\"?[01]\\b", "i"));
        assertThat(font.reach()).isEqualTo(GuardedRegex.AT_OCCURRENCES);
        assertThat(font.literals()).containsExactly("<font");
        assertThat(font.exactLiteral()).isNull();
        GuardedRegex gtube = new GuardedRegex(PerlRegex.compile("XJS\\*C4JDBQADN1\\.NSBN3\\*2IDNEN", ""));
        assertThat(gtube.exactLiteral()).isEqualTo("XJS*C4JDBQADN1.NSBN3*2IDNEN");
        assertThat(new GuardedRegex(PerlRegex.compile("(?i)XJS", "")).exactLiteral()).isNull();
        assertThat(GuardedRegex.startOf("^a|^b", true)).isEqualTo(GuardedRegex.Start.LINES);
        assertThat(GuardedRegex.startOf("^a|b", true)).isEqualTo(GuardedRegex.Start.ANYWHERE);
        assertThat(GuardedRegex.startOf("^(a|b)", false)).isEqualTo(GuardedRegex.Start.TEXT);
        assertThat(GuardedRegex.endsAnchored("$$$")).isTrue();
        assertThat(GuardedRegex.endsAnchored("(a|b)c?$|d$")).isTrue();
        assertThat(GuardedRegex.endsAnchored("a\\$")).isFalse();
        assertThat(GuardedRegex.endsAnchored("a$|b")).isFalse();
    }

    @Test
    void aRunIsFoundExactlyWhereOneIs() {
        Random random = new Random(5);
        RequiredRun run = RequiredRun.of(PerlRegex.compile("[A-Z ]{5,}", ""));
        for (int round = 0; round < 20_000; round++) {
            String text = random(random, "AB xy\u00c9\u212a", random.nextInt(30));
            int longest = 0;
            int current = 0;
            for (char c : text.toCharArray()) {
                current = c >= 'A' && c <= 'Z' || c == ' ' || c >= 256 ? current + 1 : 0; // above 255: counted in
                longest = Math.max(longest, current);
            }
            assertThat(run.occursIn(text)).as("[%s]", text).isEqualTo(longest >= 5);
        }
    }

    @Test
    void joinedLinesAreSpamAssassinsBody() {
        Random random = new Random(3);
        for (int round = 0; round < 20_000; round++) {
            String text = random(random, "ab \t\r\n\u2028\u00a0", random.nextInt(25));
            assertThat(MessageTexts.joinLines(text)).as("[%s]", text).isEqualTo(joinLinesByChar(text));
        }
    }

    /** The definition: each line break, with the blanks before and after it, becomes one space. */
    private static String joinLinesByChar(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                while (sb.length() > 0 && Character.isWhitespace(sb.charAt(sb.length() - 1))) {
                    sb.setLength(sb.length() - 1);
                }
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                sb.append(' ');
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
