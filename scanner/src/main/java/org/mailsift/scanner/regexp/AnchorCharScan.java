package org.mailsift.scanner.regexp;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The literal sets of one text source when every literal holds one same character that is not a letter
 * ({@code {raw_mime}}'s "&lt;font", "&lt;form", "&lt;img "; "display:" and "visibility:"; a header's
 * "content-transfer-encoding:"): String.indexOf finds that character (a vectorized search), and the literals holding
 * it are compared there, case-folded as {@link LiteralAutomaton} folds. The same hits, in the same order, as the
 * automaton's pass of table reads over every character.
 */
final class AnchorCharScan implements LiteralScan {
    /** Non-letters by how rarely they occur in mail text, rarest first; a space is the last resort. */
    private static final String PREFERENCE = "<>=@:/\\[]{}|#$%^&*_~;\"'!?()+0123456789,.- ";
    private static final int LENGTHS = 1 << 16;

    private final char anchor;
    /** Per (literal, offset of the anchor in it): the literal, its set id and the offset. */
    private final char[][] literals;
    private final int[] ids;
    private final int[] offsets;
    private final int[] reach;
    private final int sets;

    private AnchorCharScan(char anchor, char[][] literals, int[] ids, int[] offsets, int[] reach) {
        this.anchor = anchor;
        this.literals = literals;
        this.ids = ids;
        this.offsets = offsets;
        this.reach = reach.clone();
        this.sets = reach.length;
    }

    /** The scan for these case-folded literal sets (as LiteralAutomaton's), or null when no non-letter is in all. */
    static AnchorCharScan of(List<Set<String>> literalSets, int[] reach) {
        char anchor = 0;
        for (int k = 0; k < PREFERENCE.length() && anchor == 0; k++) {
            char c = PREFERENCE.charAt(k);
            if (literalSets.stream().allMatch(set -> set.stream().allMatch(l -> l.indexOf(c) >= 0 && l.length() < LENGTHS))) {
                anchor = c;
            }
        }
        if (anchor == 0) {
            return null;
        }
        java.util.ArrayList<char[]> lits = new java.util.ArrayList<>();
        java.util.ArrayList<int[]> idAndOffset = new java.util.ArrayList<>();
        for (int id = 0; id < literalSets.size(); id++) {
            for (String l : literalSets.get(id)) {
                for (int at = l.indexOf(anchor); at >= 0; at = l.indexOf(anchor, at + 1)) {
                    lits.add(l.toCharArray());
                    idAndOffset.add(new int[] {id, at});
                }
            }
        }
        return new AnchorCharScan(anchor, lits.toArray(char[][]::new),
                idAndOffset.stream().mapToInt(a -> a[0]).toArray(), idAndOffset.stream().mapToInt(a -> a[1]).toArray(),
                reach);
    }

    @Override
    public int[][] scan(String text) {
        int n = text.length();
        long[] hits = null; // (end << 32) | (id * LENGTHS + length), sorted by end below as the automaton reports
        int count = 0;
        for (int p = text.indexOf(anchor); p >= 0; p = text.indexOf(anchor, p + 1)) {
            for (int e = 0; e < literals.length; e++) {
                char[] l = literals[e];
                int start = p - offsets[e];
                if (start < 0 || start + l.length > n || !foldedAt(text, start, l)) {
                    continue;
                }
                if (hits == null) {
                    hits = new long[8];
                } else if (count == hits.length) {
                    hits = Arrays.copyOf(hits, count * 2);
                }
                hits[count++] = (long) (start + l.length - 1) << 32 | ids[e] * LENGTHS + l.length;
            }
        }
        int[][] out = new int[sets][];
        if (hits == null) {
            return out;
        }
        Arrays.sort(hits, 0, count);
        Regions[] regions = new Regions[sets];
        Regions.Lines lines = new Regions.Lines(text);
        for (int k = 0; k < count; k++) {
            int literal = (int) hits[k];
            int id = literal / LENGTHS;
            if (regions[id] == null) {
                regions[id] = new Regions(reach[id]);
            }
            regions[id].add(text, (int) (hits[k] >>> 32), literal % LENGTHS, lines);
        }
        for (int id = 0; id < sets; id++) {
            out[id] = regions[id] == null ? null : regions[id].toArray();
        }
        return out;
    }

    private static boolean foldedAt(String text, int start, char[] literal) {
        for (int j = 0; j < literal.length; j++) {
            if (LiteralAutomaton.fold(text.charAt(start + j)) != literal[j]) {
                return false;
            }
        }
        return true;
    }
}
