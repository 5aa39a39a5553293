package org.mailsift.scanner.bayes;

import java.util.Locale;

import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.BayesStore.ClassCounts;
import org.mailsift.core.learn.BayesStore.TokenCounts;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.ScanResult.BayesInfo;

/**
 * Tokenizer + store + classifier: what the scan rule and the learner share. Decides whose statistics apply
 * (the owner's, the owner's combined with the global ones, or the global ones) and why Bayes stays silent.
 */
public final class BayesEngine {
    private final Tokenizer tokenizer;
    private final BayesClassifier classifier;
    private final BayesStore store;
    private final BayesSettings settings;

    public BayesEngine(Tokenizer tokenizer, BayesClassifier classifier, BayesStore store, BayesSettings settings) {
        this.tokenizer = tokenizer;
        this.classifier = classifier;
        this.store = store;
        this.settings = settings;
    }

    public BayesStore store() {
        return store;
    }

    public BayesSettings settings() {
        return settings;
    }

    public MessageTokens tokenize(ParsedMessage message) {
        return tokenizer.tokenize(message);
    }

    /** The statistics owner to use: the mailbox owner when per-user statistics are on, else null (global). */
    public String owner(String user) {
        return settings.perUser() && user != null && !user.isBlank() ? user.trim().toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Classifies a token set for {@code owner} (null = global). Never throws for message content; a store outage
     * surfaces as {@link BayesStore.UnavailableException}.
     */
    public BayesInfo classify(MessageTokens tokens, String owner) {
        if (tokens.size() < settings.minTokens()) {
            return new BayesInfo(Double.NaN, tokens.size(), "too few tokens: " + tokens.size() + " < " + settings.minTokens());
        }
        TokenCounts counts = counts(owner, tokens.tokens());
        ClassCounts learns = counts.learns();
        if (learns.spam() < settings.minLearns() || learns.ham() < settings.minLearns()) {
            String which = learns.spam() < settings.minLearns()
                    ? "spam " + learns.spam() : "ham " + learns.ham();
            return new BayesInfo(Double.NaN, tokens.size(), "not enough learns: " + which + " < " + settings.minLearns());
        }
        BayesClassifier.Classification v = classifier.classify(counts.spam(), counts.ham(), learns);
        if (v.usedTokens() == 0) {
            return new BayesInfo(Double.NaN, tokens.size(), "no known tokens");
        }
        return new BayesInfo(v.probability(), tokens.size(), null, v.statistic());
    }

    /**
     * The owner's statistics when they are trained enough on their own; otherwise the owner's counts added to the
     * global ones, so a new user starts from the site's knowledge and their own learns weigh in at once.
     */
    private TokenCounts counts(String owner, long[] tokens) {
        if (owner == null) {
            return store.lookup(null, tokens);
        }
        TokenCounts mine = store.lookup(owner, tokens);
        ClassCounts ml = mine.learns();
        if (ml.spam() >= settings.minLearns() && ml.ham() >= settings.minLearns()) {
            return mine;
        }
        TokenCounts global = store.lookup(null, tokens);
        long[] spam = new long[tokens.length];
        long[] ham = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            spam[i] = global.spam()[i] + mine.spam()[i];
            ham[i] = global.ham()[i] + mine.ham()[i];
        }
        return new TokenCounts(global.learns().plus(ml), spam, ham);
    }
}
