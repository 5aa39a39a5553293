package org.mailsift.scanner.regexp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The required literals (RequiredLiterals) of every regexp over one kind of text in one Aho-Corasick automaton, so a
 * single pass over a text tells which regexps can match it and on which lines, instead of a case-folded copy of the
 * text and one indexOf per literal (Rspamd does the same with Hyperscan's literal matching).
 *
 * <p>Written by hand rather than with org.ahocorasick: that library walks a HashMap of boxed characters per input
 * character and allocates an Emit per hit; here the automaton is a dense table over the literals' own characters
 * (ASCII, case-folded), one array read per character of text. Characters are folded as {@link RequiredLiterals#fold}
 * folds them (the Kelvin sign is 'k', the long s 's'), so the hits are exactly the literal occurrences in the folded
 * text.
 */
final class LiteralAutomaton implements LiteralScan {
    /** For each char, the ASCII character it folds to, or 0 when it folds to none (most non-ASCII characters). */
    private static final byte[] FOLD = new byte[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            int f = c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : c == '\u017f' ? 's' : Character.toLowerCase((char) c);
            FOLD[c] = (byte) (f < 128 ? f : 0);
        }
    }

    /** The ASCII character {@code c} folds to, or 0 (RequiredLiterals.fold's folding, one character). */
    static char fold(char c) {
        return (char) FOLD[c];
    }

    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[8192]);

    private final int[] classOf = new int[128];
    /** classOf after case folding, for the ASCII characters. */
    private final int[] asciiClass = new int[128];
    private final int classes;
    /**
     * The full transition function (failure links folded in), by state times the number of classes plus class, of
     * that product for the next state: bitwise complemented (negative) when literals end in that state.
     */
    private final int[] next;
    /**
     * Per state, the literals ending there, each as its set (regexp) id times {@link #LENGTHS} plus its length, or
     * null.
     */
    private final int[][] outputs;
    private static final int LENGTHS = 1 << 16;
    private final int sets;
    /** Per literal set, what a hit makes its regexp run on: see {@link #scan}. */
    private final int[] reach;

    /**
     * @param literalSets per regexp (its index is its id in the hits), its case-folded ASCII literals
     * @param reach       per regexp, what an occurrence of a literal lets it run on: -1 the occurrence's line (no match
     *                    spans lines), L &gt; 0 the L chars before and after (no match is longer), 0 the whole text,
     *                    {@link GuardedRegex#AT_OCCURRENCES} the occurrence itself (every match starts with one)
     */
    LiteralAutomaton(List<Set<String>> literalSets, int[] reach) {
        this.sets = literalSets.size();
        this.reach = reach.clone();
        int n = 1;
        for (Set<String> set : literalSets) {
            for (String l : set) {
                for (int k = 0; k < l.length(); k++) {
                    char c = l.charAt(k);
                    if (c == 0 || c >= 128 || l.length() >= LENGTHS) {
                        throw new IllegalArgumentException("literal not in printable ASCII: " + l);
                    }
                    if (classOf[c] == 0) {
                        classOf[c] = n++;
                    }
                }
            }
        }
        this.classes = n;
        List<int[]> trie = new ArrayList<>();
        List<int[]> out = new ArrayList<>();
        trie.add(new int[classes]);
        out.add(null);
        for (int id = 0; id < literalSets.size(); id++) {
            for (String l : literalSets.get(id)) {
                int s = 0;
                for (int k = 0; k < l.length(); k++) {
                    int cls = classOf[l.charAt(k)];
                    if (trie.get(s)[cls] == 0) {
                        trie.get(s)[cls] = trie.size();
                        trie.add(new int[classes]);
                        out.add(null);
                    }
                    s = trie.get(s)[cls];
                }
                out.set(s, add(out.get(s), id * LENGTHS + l.length()));
            }
        }
        // breadth first: each state's missing transitions are its failure state's, its outputs include the failure's
        int[] fail = new int[trie.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            int[] row = trie.get(s);
            int[] failRow = trie.get(fail[s]); // complete already: a shallower state
            for (int cls = 1; cls < classes; cls++) {
                int t = row[cls];
                if (t == 0) {
                    row[cls] = s == 0 ? 0 : failRow[cls];
                } else {
                    fail[t] = s == 0 ? 0 : failRow[cls];
                    int[] inherited = out.get(fail[t]);
                    if (inherited != null) {
                        for (int literal : inherited) {
                            out.set(t, add(out.get(t), literal));
                        }
                    }
                    queue.add(t);
                }
            }
        }
        this.next = new int[trie.size() * classes];
        for (int st = 0; st < trie.size(); st++) {
            int[] row = trie.get(st);
            for (int cls = 0; cls < classes; cls++) {
                int t = row[cls];
                next[st * classes + cls] = out.get(t) == null ? t * classes : ~(t * classes);
            }
        }
        for (int c = 0; c < 128; c++) {
            asciiClass[c] = classOf[FOLD[c]];
        }
        this.outputs = out.toArray(int[][]::new);
    }

    private static int[] add(int[] ids, int id) {
        if (ids == null) {
            return new int[] {id};
        }
        for (int x : ids) {
            if (x == id) {
                return ids;
            }
        }
        int[] more = Arrays.copyOf(ids, ids.length + 1);
        more[ids.length] = id;
        return more;
    }

    /**
     * One pass over {@code text}: for each literal set with an occurrence, the regions its regexp has to run on, as
     * ascending, disjoint {start, end} pairs (see the constructor's reach: the lines, the windows around the
     * occurrences merged where they overlap, or the whole text) or, for reach AT_OCCURRENCES, the occurrences
     * themselves ascending by start (one per start; they may overlap); null for a set with none.
     */
    @Override
    public int[][] scan(String text) {
        int len = text.length();
        char[] chars = BUFFER.get();
        if (chars.length < len) {
            chars = new char[Math.max(len, chars.length * 2)];
            BUFFER.set(chars);
        }
        text.getChars(0, len, chars, 0); // a bulk copy: then no per-character String access
        Regions[] regions = null;
        Regions.Lines lines = null;
        int state = 0;
        for (int i = 0; i < len; i++) {
            char c = chars[i];
            int v = next[state + (c < 128 ? asciiClass[c] : classOf[FOLD[c]])];
            if (v >= 0) {
                state = v;
                continue;
            }
            state = ~v;
            if (regions == null) {
                regions = new Regions[sets];
                lines = new Regions.Lines(text);
            }
            for (int literal : outputs[state / classes]) {
                int id = literal / LENGTHS;
                Regions r = regions[id];
                if (r == null) {
                    r = regions[id] = new Regions(reach[id]);
                }
                r.add(text, i, literal % LENGTHS, lines);
            }
        }
        int[][] out = new int[sets][];
        for (int id = 0; regions != null && id < sets; id++) {
            out[id] = regions[id] == null ? null : regions[id].toArray();
        }
        return out;
    }
}
