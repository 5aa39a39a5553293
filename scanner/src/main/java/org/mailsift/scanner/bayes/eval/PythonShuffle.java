package org.mailsift.scanner.bayes.eval;

import java.util.List;

/**
 * Python's {@code random.Random(seed).shuffle(list)}, bit for bit: a Mersenne Twister (MT19937) seeded as CPython
 * seeds it from an integer ({@code init_by_array} over the seed's 32-bit words) and CPython's shuffle
 * ({@code _randbelow} by rejection over {@code getrandbits}). Evaluations elsewhere split corpora this way, so
 * {@code bayes-eval} reproduces their splits exactly instead of Java's {@code Collections.shuffle}.
 * Written by hand: no Java library reproduces CPython's generator.
 */
public final class PythonShuffle {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    public PythonShuffle(long seed) {
        long a = Math.abs(seed);
        int words = Math.max(1, (64 - Long.numberOfLeadingZeros(a) + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = (int) (a >>> (32 * i));
        }
        initByArray(key);
    }

    /** Shuffles {@code list} in place exactly as {@code random.Random(seed).shuffle(list)} would. */
    public static <T> void shuffle(List<T> list, long seed) {
        PythonShuffle r = new PythonShuffle(seed);
        for (int i = list.size() - 1; i >= 1; i--) {
            int j = r.below(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    int below(int n) {
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    private long getrandbits(int k) {
        return (next() & 0xffffffffL) >>> (32 - k);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (mti = 1; mti < N; mti++) {
            mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
        }
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    private int next() {
        if (mti >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }
}
