package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The automaton finds, per literal set, exactly the lines where the case-folded text contains one of its literals. */
class LiteralAutomatonTest {
    @Test
    void overlappingAndNestedLiteralsAreAllFoundCaseInsensitively() {
        LiteralAutomaton a = new LiteralAutomaton(List.of(Set.of("he", "she"), Set.of("his", "hers"), Set.of("s")));
        int[][] lines = a.scan("uSHErs\nnothing\nHIS\n");
        assertThat(lines[0]).containsExactly(0);
        assertThat(lines[1]).containsExactly(0, 15);
        assertThat(lines[2]).containsExactly(0, 15);
        assertThat(a.scan("xyz")[0]).isNull();
    }

    @Test
    void theKelvinSignAndTheLongSFoldAsRequiredLiteralsFoldThem() {
        LiteralAutomaton a = new LiteralAutomaton(List.of(Set.of("kiss")));
        assertThat(a.scan("\u212Ai\u017Fs")[0]).containsExactly(0);
        assertThat(a.scan("k\u00efss")[0]).isNull();
    }

    @Test
    void agreesWithIndexOfOnTheFoldedTextOnRandomTexts() {
        Random random = new Random(17);
        String alphabet = "abAB \n\u212A\u017Fk";
        for (int round = 0; round < 500; round++) {
            List<Set<String>> sets = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                Set<String> set = new java.util.HashSet<>();
                for (int l = 0; l < 1 + random.nextInt(3); l++) {
                    set.add(RequiredLiterals.fold(random(random, "abks ", 1 + random.nextInt(3))));
                }
                sets.add(set);
            }
            String text = random(random, alphabet, random.nextInt(60));
            int[][] lines = new LiteralAutomaton(sets).scan(text);
            String folded = RequiredLiterals.fold(text);
            for (int s = 0; s < sets.size(); s++) {
                java.util.TreeSet<Integer> expected = new java.util.TreeSet<>();
                for (String l : sets.get(s)) {
                    for (int at = folded.indexOf(l); at >= 0; at = folded.indexOf(l, at + 1)) {
                        expected.add(text.lastIndexOf('\n', at) + 1);
                    }
                }
                List<Integer> got = lines[s] == null ? List.of() : java.util.Arrays.stream(lines[s]).boxed().toList();
                assertThat(got).as("%s in %s", sets.get(s), text).containsExactlyElementsOf(expected);
            }
        }
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
