package org.mailsift.scanner.store.embedded;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.mailsift.core.learn.BayesStore.Applied;
import org.mailsift.core.learn.BayesStore.ClassCounts;
import org.mailsift.core.learn.BayesStore.Stats;
import org.mailsift.core.learn.BayesStore.TokenCounts;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.scanner.bayes.BayesExportFormat;

/**
 * The in-memory state of the embedded store: global and per-user token counts plus the learned-message cache.
 * Deterministic: replaying the same learns in the same order rebuilds the same state, which is what makes the
 * journal work. Not thread-safe; {@link EmbeddedBayesStore} holds the lock.
 */
final class BayesTables {
    /** Rspamd keeps 5 × 10,000 ids; a digest is ~40 bytes here, so a million costs ~100 MB at worst. */
    static final int LEARNED_CACHE_LIMIT = 1_000_000;

    private final Space global = new Space();
    private final Map<String, Space> users = new HashMap<>();
    private final LinkedHashMap<String, LearnClass> learned = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LearnClass> eldest) {
            return size() > LEARNED_CACHE_LIMIT;
        }
    };

    /** One statistics space (global, or one user). */
    static final class Space {
        long spamLearns;
        long hamLearns;
        final TokenCountMap tokens = new TokenCountMap();

        void add(LearnClass c, long[] toks, int sign) {
            long ds = c == LearnClass.SPAM ? sign : 0;
            long dh = c == LearnClass.HAM ? sign : 0;
            spamLearns = Math.max(0, spamLearns + ds);
            hamLearns = Math.max(0, hamLearns + dh);
            for (long t : toks) {
                tokens.add(t, ds, dh);
            }
        }
    }

    static String cacheKey(String user, String digest) {
        return user == null ? digest : user + "\u0000" + digest;
    }

    LearnClass cached(String user, String digest) {
        return learned.get(cacheKey(user, digest));
    }

    Applied learn(String user, LearnClass c, String digest, long[] tokens) {
        String key = cacheKey(user, digest);
        LearnClass before = learned.get(key);
        if (before == c) {
            return Applied.ALREADY_LEARNED;
        }
        if (before != null) {
            apply(user, before, tokens, -1);
        }
        apply(user, c, tokens, +1);
        learned.put(key, c);
        return before == null ? Applied.LEARNED : Applied.RELEARNED;
    }

    private void apply(String user, LearnClass c, long[] tokens, int sign) {
        global.add(c, tokens, sign);
        if (user != null) {
            users.computeIfAbsent(user, u -> new Space()).add(c, tokens, sign);
        }
    }

    TokenCounts lookup(String user, long[] tokens) {
        Space s = user == null ? global : users.get(user);
        long[] spam = new long[tokens.length];
        long[] ham = new long[tokens.length];
        if (s == null) {
            return new TokenCounts(ClassCounts.ZERO, spam, ham);
        }
        for (int i = 0; i < tokens.length; i++) {
            long v = s.tokens.get(tokens[i]);
            spam[i] = TokenCountMap.spamOf(v);
            ham[i] = TokenCountMap.hamOf(v);
        }
        return new TokenCounts(new ClassCounts(s.spamLearns, s.hamLearns), spam, ham);
    }

    ClassCounts learns(String user) {
        Space s = user == null ? global : users.get(user);
        return s == null ? ClassCounts.ZERO : new ClassCounts(s.spamLearns, s.hamLearns);
    }

    Stats stats() {
        Map<String, ClassCounts> perUser = new TreeMap<>();
        users.forEach((u, s) -> perUser.put(u, new ClassCounts(s.spamLearns, s.hamLearns)));
        long[] perClass = new long[2];
        global.tokens.forEach((token, packed) -> {
            perClass[0] += TokenCountMap.spamOf(packed) > 0 ? 1 : 0;
            perClass[1] += TokenCountMap.hamOf(packed) > 0 ? 1 : 0;
            return 0;
        });
        return new Stats(new ClassCounts(global.spamLearns, global.hamLearns), perClass[0], perClass[1], perUser);
    }

    /** Emits every record of the export format (global first, then users, then the cache). */
    void export(BayesExportFormat.Visitor out) {
        exportSpace(null, global, out);
        new TreeMap<>(users).forEach((u, s) -> exportSpace(u, s, out));
        learned.forEach((key, c) -> {
            int z = key.indexOf('\u0000');
            out.learned(z < 0 ? null : key.substring(0, z), z < 0 ? key : key.substring(z + 1), c);
        });
    }

    private static void exportSpace(String user, Space s, BayesExportFormat.Visitor out) {
        out.learns(user, s.spamLearns, s.hamLearns);
        s.tokens.forEach((token, packed) -> {
            out.token(user, token, TokenCountMap.spamOf(packed), TokenCountMap.hamOf(packed));
            return 0;
        });
    }

    /** A visitor that adds imported records to these tables. */
    BayesExportFormat.Visitor importer() {
        return new BayesExportFormat.Visitor() {
            @Override
            public void learns(String user, long spam, long ham) {
                Space s = space(user);
                s.spamLearns += spam;
                s.hamLearns += ham;
            }

            @Override
            public void token(String user, long token, long spam, long ham) {
                space(user).tokens.add(token, spam, ham);
            }

            @Override
            public void learned(String user, String digest, LearnClass c) {
                learned.put(cacheKey(user, digest), c);
            }
        };
    }

    private Space space(String user) {
        return user == null ? global : users.computeIfAbsent(user, u -> new Space());
    }
}
