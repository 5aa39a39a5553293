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
        LiteralAutomaton a = new LiteralAutomaton(List.of(Set.of("he", "she"), Set.of("his", "hers"), Set.of("s")),
                new int[] {-1, -1, -1});
        int[][] lines = a.scan("uSHErs\nnothing\nHIS\n");
        assertThat(lines[0]).containsExactly(0, 6);
        assertThat(lines[1]).containsExactly(0, 6, 15, 18);
        assertThat(lines[2]).containsExactly(0, 6, 15, 18);
        assertThat(a.scan("xyz")[0]).isNull();
    }

    @Test
    void windowsAroundOccurrencesMergeWhereTheyOverlapAndWholeTextsAreOneRegion() {
        LiteralAutomaton a = new LiteralAutomaton(List.of(Set.of("ab"), Set.of("ab")), new int[] {3, 0});
        int[][] r = a.scan("xxxxab-ab-xxxxxxxxab");
        assertThat(r[0]).containsExactly(3, 11, 17, 20);
        assertThat(r[1]).containsExactly(0, 20);
    }

    @Test
    void theKelvinSignAndTheLongSFoldAsRequiredLiteralsFoldThem() {
        LiteralAutomaton a = new LiteralAutomaton(List.of(Set.of("kiss")), new int[] {0});
        assertThat(a.scan("\u212Ai\u017Fs")[0]).containsExactly(0, 4);
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
            int[][] lines = new LiteralAutomaton(sets, new int[] {-1, -1, -1, -1}).scan(text);
            String folded = RequiredLiterals.fold(text);
            for (int s = 0; s < sets.size(); s++) {
                java.util.TreeSet<Integer> expected = new java.util.TreeSet<>();
                for (String l : sets.get(s)) {
                    for (int at = folded.indexOf(l); at >= 0; at = folded.indexOf(l, at + 1)) {
                        expected.add(text.lastIndexOf('\n', at) + 1);
                    }
                }
                List<Integer> got = new ArrayList<>();
                for (int k = 0; lines[s] != null && k < lines[s].length; k += 2) {
                    got.add(lines[s][k]);
                }
                assertThat(got).as("%s in %s", sets.get(s), text).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void theAnchorCharacterScanFindsWhatTheAutomatonFinds() {
        Random random = new Random(29);
        String alphabet = "aAbB<:\n k\u212a\u017fs";
        int[][] reaches = {{-1, 3, 0, GuardedRegex.AT_OCCURRENCES}, {GuardedRegex.AT_OCCURRENCES, -1, 2, 0}};
        for (int round = 0; round < 3000; round++) {
            List<Set<String>> sets = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                Set<String> set = new java.util.HashSet<>();
                for (int l = 0; l < 1 + random.nextInt(3); l++) {
                    String literal = RequiredLiterals.fold(random(random, "abks<", 1 + random.nextInt(3)));
                    int at = random.nextInt(literal.length() + 1);
                    set.add(literal.substring(0, at) + ":" + literal.substring(at));
                }
                sets.add(set);
            }
            int[] reach = reaches[round % 2];
            AnchorCharScan byAnchor = AnchorCharScan.of(sets, reach);
            assertThat(byAnchor).isNotNull();
            String text = random(random, alphabet, random.nextInt(60));
            int[][] expected = new LiteralAutomaton(sets, reach).scan(text);
            int[][] got = byAnchor.scan(text);
            for (int s = 0; s < sets.size(); s++) {
                assertThat(got[s]).as("%s in [%s]", sets.get(s), text).isEqualTo(expected[s]);
            }
        }
        assertThat(AnchorCharScan.of(List.of(Set.of("<a", "b")), new int[] {0})).isNull();
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
