package org.mailsift.scanner.bayes;

import java.util.Arrays;

/** A growable list of longs (token hashes) without boxing. */
final class LongList {
    private long[] items = new long[256];
    private int size;

    void add(long v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    long get(int i) {
        return items[i];
    }

    int size() {
        return size;
    }

    /** The distinct values, sorted (the token set of a message). */
    long[] distinctSorted() {
        long[] a = Arrays.copyOf(items, size);
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (i == 0 || a[i] != a[i - 1]) {
                a[n++] = a[i];
            }
        }
        return Arrays.copyOf(a, n);
    }
}
