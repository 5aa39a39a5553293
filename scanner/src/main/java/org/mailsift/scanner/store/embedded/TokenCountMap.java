package org.mailsift.scanner.store.embedded;

import java.util.function.LongBinaryOperator;

/**
 * Open-addressing map from a 64-bit token hash to its spam and ham counts, packed into one long (spam in the high
 * 32 bits, ham in the low 32 bits). About 16 bytes per token at a load factor of 0.5-0.75, against ~80 for a
 * {@code HashMap<Long, long[]>}. Key 0 marks an empty slot, so token 0 is stored under a substitute key.
 * Not thread-safe: the store guards it with its lock.
 */
final class TokenCountMap {
    private static final long ZERO_KEY_SUBSTITUTE = 0x9E3779B97F4A7C15L;

    private long[] keys;
    private long[] values;
    private int size;
    private int mask;

    TokenCountMap() {
        this(1 << 12);
    }

    TokenCountMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    static long spamOf(long packed) {
        return packed >>> 32;
    }

    static long hamOf(long packed) {
        return packed & 0xFFFFFFFFL;
    }

    static long pack(long spam, long ham) {
        return (Math.min(spam, 0xFFFFFFFFL) << 32) | Math.min(ham, 0xFFFFFFFFL);
    }

    /** The packed counts of {@code token}, 0 when absent. */
    long get(long token) {
        long k = token == 0 ? ZERO_KEY_SUBSTITUTE : token;
        int i = slot(k);
        while (true) {
            long existing = keys[i];
            if (existing == k) {
                return values[i];
            }
            if (existing == 0) {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds to the counts of {@code token} (deltas may be negative; counts stay at or above zero). */
    void add(long token, long spamDelta, long hamDelta) {
        long k = token == 0 ? ZERO_KEY_SUBSTITUTE : token;
        int i = slot(k);
        while (true) {
            long existing = keys[i];
            if (existing == k) {
                long v = values[i];
                long spam = Math.max(0, spamOf(v) + spamDelta);
                long ham = Math.max(0, hamOf(v) + hamDelta);
                if (spam == 0 && ham == 0) {
                    remove(i);
                } else {
                    values[i] = pack(spam, ham);
                }
                return;
            }
            if (existing == 0) {
                long spam = Math.max(0, spamDelta);
                long ham = Math.max(0, hamDelta);
                if (spam == 0 && ham == 0) {
                    return;
                }
                keys[i] = k;
                values[i] = pack(spam, ham);
                if (++size * 4 > keys.length * 3) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Calls {@code visitor} with (token, packed counts) for every entry. */
    void forEach(LongBinaryOperator visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                long token = keys[i] == ZERO_KEY_SUBSTITUTE ? 0 : keys[i];
                visitor.applyAsLong(token, values[i]);
            }
        }
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Backward-shift deletion keeps probe chains intact without tombstones. */
    private void remove(int hole) {
        size--;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == 0) {
                break;
            }
            int home = slot(k);
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = k;
                values[hole] = values[i];
                hole = i;
            }
        }
        keys[hole] = 0;
        values[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != 0) {
                int i = slot(k);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }
}
