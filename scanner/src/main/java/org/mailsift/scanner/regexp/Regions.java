package org.mailsift.scanner.regexp;

import java.util.Arrays;

/**
 * The regions of one text a regexp has to run on, built from the occurrences of its required literals in the order
 * they end (LiteralAutomaton's hits, or indexOf's for a single literal), by the regexp's reach
 * (GuardedRegex.reach): the occurrence's line (-1), a window of L chars either side merged where windows overlap
 * (L &gt; 0), the whole text (0), or the occurrence itself (AT_OCCURRENCES: every match starts with one). The result
 * is {start, end} pairs ascending by start; disjoint, except occurrences, one per start.
 */
final class Regions {
    private final int reach;
    private int[] r = new int[4];
    private int n;
    private boolean unsorted;

    Regions(int reach) {
        this.reach = reach;
    }

    /**
     * The line around a position, found once for all the regions of one text (a text that is one long line, as
     * SpamAssassin's body, would otherwise be searched end to end for each regexp with a hit).
     */
    static final class Lines {
        private final String text;
        private int start = -1;
        private int end = -1;

        Lines(String text) {
            this.text = text;
        }

        private void moveTo(int i) {
            if (i < start || i >= end) {
                start = text.lastIndexOf('\n', i) + 1;
                int nl = text.indexOf('\n', i);
                end = nl < 0 ? text.length() : nl;
            }
        }
    }

    /** An occurrence of a literal of {@code length} chars whose last char is {@code text[i]}. */
    void add(String text, int i, int length) {
        add(text, i, length, null);
    }

    /** As {@link #add(String, int, int)}, reading the occurrence's line from {@code lines} when not null. */
    void add(String text, int i, int length, Lines lines) {
        int lastEnd = n == 0 ? -1 : r[n - 1];
        int start;
        int end;
        if (reach == GuardedRegex.AT_OCCURRENCES) {
            start = i + 1 - length;
            end = i + 1;
            if (n > 0 && start <= r[n - 2]) {
                if (start == r[n - 2]) {
                    return;
                }
                unsorted = true; // a longer literal ending here starts earlier: sorted at the end
            }
        } else if (reach < 0) {
            if (i < lastEnd) {
                return; // this line is known already
            }
            if (lines == null) {
                lines = new Lines(text);
            }
            lines.moveTo(i);
            start = lines.start;
            end = lines.end;
        } else if (reach == 0) {
            if (n > 0) {
                return;
            }
            start = 0;
            end = text.length();
        } else {
            // a match holding this occurrence (ending at i) starts after i - L and ends by i + L
            start = Math.max(0, i + 1 - reach);
            end = (int) Math.min(text.length(), (long) i + reach);
            if (n > 0 && start <= lastEnd) {
                r[n - 1] = end; // overlaps the previous window: one region
                return;
            }
        }
        if (n == r.length) {
            r = Arrays.copyOf(r, n * 2);
        }
        r[n] = start;
        r[n + 1] = end;
        n += 2;
    }

    int[] toArray() {
        if (unsorted) {
            sortOccurrences();
        }
        return r.length == n ? r : Arrays.copyOf(r, n);
    }

    /** Sorts the {start, end} pairs by start, keeping one pair per start. */
    private void sortOccurrences() {
        long[] keyed = new long[n / 2];
        for (int k = 0; k < n; k += 2) {
            keyed[k / 2] = (long) r[k] << 32 | r[k + 1];
        }
        Arrays.sort(keyed);
        int out = 0;
        for (long pair : keyed) {
            int start = (int) (pair >>> 32);
            if (out == 0 || r[out - 2] != start) {
                r[out] = start;
                r[out + 1] = (int) pair;
                out += 2;
            }
        }
        n = out;
    }

    /** The regions of {@code text} from every occurrence of one literal, found with String.indexOf. */
    static int[] ofLiteral(String text, String literal, int reach) {
        int at = text.indexOf(literal);
        if (at < 0) {
            return null;
        }
        Regions regions = new Regions(reach);
        int length = literal.length();
        for (; at >= 0; at = text.indexOf(literal, at + 1)) {
            regions.add(text, at + length - 1, length);
            if (reach == 0) {
                break;
            }
            if (reach < 0 && reach != GuardedRegex.AT_OCCURRENCES) {
                at = Math.max(at, regions.r[regions.n - 1] - 1); // the rest of this line is in its region
            }
        }
        return regions.toArray();
    }
}
